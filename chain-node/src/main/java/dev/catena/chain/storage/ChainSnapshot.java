package dev.catena.chain.storage;

/**
 * A consistent point-in-time view of one chain: its progress and its entries as of the same
 * instant. A tail streaming a snapshot to a joining node (DESIGN §4a "Snapshot cut") sends {@link
 * #progress()}{@code .appliedSeq()} as the cut s0 and starts forwarding at s0 + 1. Close it to
 * release the underlying storage snapshot.
 */
public interface ChainSnapshot extends AutoCloseable {
  /** Progress of the chain as of this snapshot. */
  ChainProgress progress();

  /** Entries (including tombstones) in key order, as of this snapshot. */
  CloseableIterator<StoredEntry> scan(byte[] fromInclusive, byte[] toExclusiveOrNull);

  @Override
  void close();
}
