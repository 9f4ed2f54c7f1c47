package dev.catena.chain.storage;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Metadata store for all chains hosted by a node. Keys are opaque bytes within a chain; every
 * chain's data and progress records are disjoint.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #apply} is atomic: after a crash a mutation is either entirely present or entirely
 *       absent. Its future completes once the mutation is durable according to the store's {@link
 *       FsyncPolicy}; futures complete in submission order, and a completed mutation is visible to
 *       every later read. Dependent actions attached with non-async {@code then…} methods run on
 *       the store's writer thread and must not block.
 *   <li>{@link #apply} blocks the caller when too many writes are queued (back-pressure).
 *   <li>Reads never block on writes and see a mutation entirely or not at all. A mutation can
 *       become visible shortly before its future completes (while its fsync is in flight), so a
 *       caller that must only expose durable state waits for the future first.
 * </ul>
 */
public interface ObjectStore extends MetadataReads, AutoCloseable {

  /** Atomically applies a mutation; see the type contract for durability and ordering. */
  CompletableFuture<Void> apply(ChainMutation mutation);

  /** The value or tombstone stored under {@code key}, or empty if the key was never written. */
  @Override
  Optional<VersionedValue> get(int chainId, byte[] key);

  /**
   * Entries of a chain in unsigned lexicographic key order from {@code fromInclusive} up to {@code
   * toExclusiveOrNull} ({@code null} = end of the chain), tombstones included. The iterator sees a
   * consistent snapshot taken when this method is called.
   */
  @Override
  CloseableIterator<StoredEntry> scan(int chainId, byte[] fromInclusive, byte[] toExclusiveOrNull);

  /**
   * Pins every chain's records as of now: reads through the result see exactly the mutations
   * visible at this call, on any thread, until it is closed. Cheap (no copy).
   */
  PinnedMetadata pin();

  /** A consistent snapshot of one chain (progress and data as of the same instant). */
  ChainSnapshot snapshot(int chainId);

  /** Durable progress of a chain; {@link ChainProgress#NONE} for an unknown chain. */
  ChainProgress progress(int chainId);

  /** Chains with any stored data or progress record (or a record type earlier versions wrote). */
  Set<Integer> chains();

  /**
   * Removes all data of a chain (the node left it). Ordered after every mutation submitted before
   * it; returns once the removal is durable. Not atomic for large chains: the progress record is
   * removed first, so a crash part-way leaves a chain with progress {@code (0, 0)} that must be
   * dropped again or fully resynced.
   */
  void dropChain(int chainId);

  @Override
  void close();
}
