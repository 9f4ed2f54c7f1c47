package dev.catena.chain.storage;

import java.util.Optional;

/**
 * Reads of chains' metadata records: what {@link ObjectStore} offers on its current state, and a
 * {@link PinnedMetadata} at one fixed instant.
 */
public interface MetadataReads {
  /** The value or tombstone stored under {@code key}, or empty if the key was never written. */
  Optional<VersionedValue> get(int chainId, byte[] key);

  /**
   * Entries of a chain in unsigned lexicographic key order from {@code fromInclusive} up to {@code
   * toExclusiveOrNull} ({@code null} = end of the chain), tombstones included, from one consistent
   * view.
   */
  CloseableIterator<StoredEntry> scan(int chainId, byte[] fromInclusive, byte[] toExclusiveOrNull);
}
