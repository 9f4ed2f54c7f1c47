package dev.catena.chain.storage;

/**
 * Told of every batch a store's writer thread commits, for metrics: how many writes it held and how
 * long writing it and making it durable took (under {@link FsyncPolicy#GROUP} one fsync per batch).
 * Called on the writer thread after the batch is durable and before its writes complete:
 * implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface CommitObserver {
  /** Observes nothing. */
  CommitObserver NONE = (writes, nanos) -> {};

  /**
   * @param writes writes in the batch (the group-commit size)
   * @param nanos time spent writing the batch and making it durable
   */
  void committed(int writes, long nanos);
}
