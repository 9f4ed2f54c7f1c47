package dev.catena.chain.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single writer thread of a store: it owns every write, drains the queue into a batch (at most
 * {@code maxBatchItems} writes and {@code maxBatchWeight} bytes), hands the batch to a {@link Sink}
 * that writes it and makes it durable (one fsync per batch under {@link FsyncPolicy#GROUP}), then
 * completes the futures of the batch in submission order.
 *
 * <p>Back-pressure: at most {@code maxPendingWeight} bytes of writes may be queued or in flight;
 * {@link #submit} blocks until there is room. Fail-stop: if the sink throws, the batch and every
 * later write fail with {@link StorageClosedException} (after a failed fsync the on-disk state is
 * unknown and retrying the fsync could falsely report success).
 *
 * @param <P> the pending-write type of the store
 */
final class GroupCommitter<P extends GroupCommitter.Pending<?>> implements AutoCloseable {

  /** A queued write carrying its own future and, once written, its result. */
  abstract static class Pending<R> {
    final CompletableFuture<R> future = new CompletableFuture<>();
    R result;

    /** Bytes this write holds in memory while queued; used for back-pressure and batch limits. */
    abstract long weight();

    final void completeWithResult() {
      future.complete(result);
    }
  }

  /** Writes a batch in order and makes it durable per the store's policy before returning. */
  interface Sink<P> {
    void write(List<P> batch) throws IOException;
  }

  private final Object lock = new Object();
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Object stop = new Object();
  private final Semaphore room;
  private final int maxPendingWeight;
  private final int maxBatchItems;
  private final long maxBatchWeight;
  private final Sink<P> sink;
  private final Thread thread;
  private boolean closed; // guarded by lock
  private volatile Throwable failure;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private volatile CommitObserver observer = CommitObserver.NONE;

  GroupCommitter(
      String name, Sink<P> sink, int maxBatchItems, long maxBatchWeight, int maxPendingWeight) {
    this.sink = sink;
    this.maxBatchItems = maxBatchItems;
    this.maxBatchWeight = maxBatchWeight;
    this.maxPendingWeight = maxPendingWeight;
    this.room = new Semaphore(maxPendingWeight, true);
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues a write, blocking while the queue is full. Returns the write's future, already failed if
   * the store is closed, failed, or the caller was interrupted while waiting.
   */
  <R> CompletableFuture<R> submit(Pending<R> pending) {
    int permits = permits(pending);
    try {
      room.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.future.completeExceptionally(
          new StorageException("interrupted while waiting for write queue space", e));
      return pending.future;
    }
    synchronized (lock) {
      Throwable f = failure;
      if (closed || f != null) {
        room.release(permits);
        pending.future.completeExceptionally(
            f == null
                ? new StorageClosedException("store is closed")
                : new StorageClosedException("store failed earlier", f));
        return pending.future;
      }
      queue.add(pending);
    }
    return pending.future;
  }

  private int permits(Pending<?> p) {
    return (int) Math.max(1, Math.min(p.weight(), maxPendingWeight));
  }

  @SuppressWarnings("unchecked")
  private void run() {
    List<P> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      Object first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        // Nothing in Catena interrupts the writer; if something does, fail-stop visibly.
        Thread.currentThread().interrupt();
        failure = new StorageClosedException("writer thread interrupted", e);
        failQueued();
        return;
      }
      long weight = 0;
      Object next = first;
      while (next != null) {
        if (next == stop) {
          stopping = true;
          break;
        }
        P p = (P) next;
        batch.add(p);
        weight += p.weight();
        if (batch.size() >= maxBatchItems || weight >= maxBatchWeight) {
          break;
        }
        next = queue.poll();
      }
      if (!batch.isEmpty()) {
        process(batch);
        batch.clear();
      }
    }
  }

  private void process(List<P> batch) {
    Throwable f = failure;
    long started = System.nanoTime();
    if (f == null) {
      try {
        sink.write(batch);
      } catch (IOException | RuntimeException e) {
        failure = e;
        f = e;
      } catch (Error e) {
        failure = e;
        failAll(batch, e);
        throw e;
      }
    }
    if (f != null) {
      failAll(batch, f);
      return;
    }
    batches.incrementAndGet();
    writes.addAndGet(batch.size());
    observer.committed(batch.size(), System.nanoTime() - started);
    for (P p : batch) {
      room.release(permits(p));
      p.completeWithResult();
    }
  }

  private void failAll(List<P> batch, Throwable cause) {
    for (P p : batch) {
      room.release(permits(p));
      p.future.completeExceptionally(new StorageClosedException("write failed", cause));
    }
  }

  @SuppressWarnings("unchecked")
  private void failQueued() {
    List<P> rest = new ArrayList<>();
    for (Object o = queue.poll(); o != null; o = queue.poll()) {
      if (o != stop) {
        rest.add((P) o);
      }
    }
    failAll(rest, failure);
  }

  /** From now on tells {@code o} of every committed batch. */
  void observeCommits(CommitObserver o) {
    observer = java.util.Objects.requireNonNull(o, "observer");
  }

  /** Batches written and writes in them so far. */
  WriterStats stats() {
    return new WriterStats(batches.get(), writes.get());
  }

  /** Whether an earlier write failed (the store then refuses all writes). */
  Throwable failure() {
    return failure;
  }

  /** Finishes every queued write, then stops the writer thread. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stop);
    }
    boolean interrupted = false;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (thread.isAlive() && System.nanoTime() < deadline) {
        try {
          thread.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
