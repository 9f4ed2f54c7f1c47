package dev.catena.chain.storage;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ChunkStore#compact()} in the background, so that the space of deleted chunks (lazy
 * garbage collection) and of superseded records comes back without an operator. Paced: after a pass
 * that copied {@code b} bytes, the next pass starts no sooner than {@code b / bytesPerSecond} later
 * (and never sooner than {@code interval}), so compaction's own I/O stays below the given rate on
 * average. One thread; a failed pass is logged and retried at the next interval.
 */
public final class CompactionScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CompactionScheduler.class);

  private final ChunkStore chunks;
  private final long intervalNanos;
  private final long bytesPerSecond;
  private final ScheduledExecutorService thread;
  private final AtomicLong reclaimed = new AtomicLong();
  private final AtomicLong passes = new AtomicLong();

  /**
   * @param interval time between passes (at least)
   * @param bytesPerSecond average bound on the bytes compaction copies
   */
  public CompactionScheduler(ChunkStore chunks, Duration interval, long bytesPerSecond) {
    if (interval.isNegative() || interval.isZero() || bytesPerSecond <= 0) {
      throw new IllegalArgumentException("interval and rate must be positive");
    }
    this.chunks = chunks;
    this.intervalNanos = interval.toNanos();
    this.bytesPerSecond = bytesPerSecond;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("catena-compaction").setDaemon(true).build());
    schedule(intervalNanos);
  }

  /** Bytes given back to the file system by all passes so far. */
  public long bytesReclaimed() {
    return reclaimed.get();
  }

  /** Passes completed so far. */
  public long passes() {
    return passes.get();
  }

  private void schedule(long delayNanos) {
    try {
      thread.schedule(this::pass, delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void pass() {
    long next = intervalNanos;
    try {
      CompactionStats s = chunks.compact();
      reclaimed.addAndGet(s.bytesReclaimed());
      passes.incrementAndGet();
      next = Math.max(intervalNanos, s.bytesRelocated() * 1_000_000_000L / bytesPerSecond);
      if (s.segmentsCompacted() > 0) {
        log.info(
            "compaction: {} segments, {} bytes reclaimed, {} bytes copied",
            s.segmentsCompacted(),
            s.bytesReclaimed(),
            s.bytesRelocated());
      }
    } catch (StorageClosedException e) {
      return; // the store closed under us: stop
    } catch (RuntimeException e) {
      log.warn("compaction pass failed; retrying later", e);
    }
    schedule(next);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
