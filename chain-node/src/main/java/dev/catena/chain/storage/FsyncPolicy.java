package dev.catena.chain.storage;

/**
 * When a write's future completes, relative to the disk.
 *
 * <ul>
 *   <li>{@link #ALWAYS}: every write is followed by its own fsync before its future completes.
 *   <li>{@link #GROUP}: the single writer thread drains every queued write, writes them all, then
 *       issues one fsync that covers the whole batch; every future of the batch completes after
 *       that fsync.
 *   <li>{@link #NONE}: the future completes once the bytes are handed to the operating system (they
 *       survive a process crash, not a power failure).
 * </ul>
 */
public enum FsyncPolicy {
  ALWAYS,
  GROUP,
  NONE;

  /** Whether this policy forces data to stable storage before completing a write. */
  public boolean syncs() {
    return this != NONE;
  }
}
