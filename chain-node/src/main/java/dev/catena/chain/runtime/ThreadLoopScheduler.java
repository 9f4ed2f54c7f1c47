package dev.catena.chain.runtime;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link LoopScheduler}: one daemon loop thread, one timer thread that hands due
 * tasks to the loop, a cached pool for blocking work, a fixed pool (one thread per core, at least
 * two) for client reads; {@link System#nanoTime()} as the clock. Thread-safe. {@link #close()}
 * drops queued timers and blocking work and lets the loop finish what it holds (at most five
 * seconds).
 */
public final class ThreadLoopScheduler implements LoopScheduler, AutoCloseable {
  private final ExecutorService loop;
  private final ScheduledExecutorService timers;
  private final ExecutorService blocking;
  private final ExecutorService readers;

  /**
   * @param name the node id, part of the threads' names
   */
  public ThreadLoopScheduler(String name) {
    // After close, late callbacks from streams and storage are dropped instead of failing.
    this.loop =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> daemon(r, "catena-loop-" + name),
            new ThreadPoolExecutor.DiscardPolicy());
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "catena-timer"));
    this.blocking = Executors.newCachedThreadPool(r -> daemon(r, "catena-install-" + name));
    this.readers =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new ThreadFactoryBuilder()
                .setNameFormat("catena-reads-" + name + "-%d")
                .setDaemon(true)
                .build());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public void schedule(Runnable task, long delayMillis) {
    try {
      timers.schedule(() -> loop.execute(task), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: nothing runs after close()
    }
  }

  @Override
  public void executeBlocking(Runnable task) {
    try {
      blocking.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: nothing runs after close()
    }
  }

  @Override
  public void executeRead(Runnable task) {
    try {
      readers.execute(task);
    } catch (RejectedExecutionException e) {
      // closed: nothing runs after close()
    }
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void close() {
    blocking.shutdownNow();
    readers.shutdownNow();
    timers.shutdownNow();
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
