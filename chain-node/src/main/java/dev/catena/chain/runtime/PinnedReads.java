package dev.catena.chain.runtime;

/**
 * {@link ChainStateReads} of one instant ({@link ReplicaStore#pinReads()}): whichever thread reads,
 * and whenever, it sees what was visible when the reads were pinned. Close it to release the
 * storage snapshot.
 */
public interface PinnedReads extends ChainStateReads, AutoCloseable {
  @Override
  void close();
}
