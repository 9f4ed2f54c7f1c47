package dev.catena.chain.storage;

/**
 * Counters of a store's writer thread: committed batches (under {@link FsyncPolicy#GROUP} one fsync
 * each) and the writes they contained. {@code writes / batches} is the achieved group size.
 */
public record WriterStats(long batches, long writes) {
  /** Average writes per batch, 0 if nothing was written. */
  public double averageBatch() {
    return batches == 0 ? 0 : (double) writes / batches;
  }
}
