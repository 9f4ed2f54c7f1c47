package dev.catena.chain.runtime;

import dev.catena.proto.v1.SnapshotTotals;

/**
 * Receives the progress of this node's joins (SYNCING memberships), to be published for the
 * coordinator and for {@code cluster status}. Called from runtime threads; must not block.
 *
 * <p>For one join the calls come in this order: {@link #planned} once the snapshot stream's first
 * entry has arrived, {@link #progress} as batches are installed, {@link #installed} once the
 * snapshot is durable, then {@link #caughtUp}; {@link #lag} whenever the join's replication lag
 * changes, and {@link #ended} once the node is no longer SYNCING in the chain. A new stream for the
 * same chain (the join restarted) begins again with {@link #planned}.
 */
public interface SyncListener {
  /** Snapshot records and bytes installed so far for a join of {@code chainId} at {@code epoch}. */
  void progress(int chainId, long epoch, long records, long bytes);

  /** The join of {@code chainId} at {@code epoch} has caught up; the node may be promoted. */
  void caughtUp(int chainId, long epoch, long lastSeq);

  /**
   * The snapshot stream of a join announced what it carries, before any of it is installed.
   *
   * @param diff the stream replaces only the buckets whose digests differ (a rejoin)
   */
  default void planned(int chainId, long epoch, SnapshotTotals totals, boolean diff) {}

  /** The join's snapshot is installed and durable: the final records and bytes it carried. */
  default void installed(int chainId, long epoch, long records, long bytes) {}

  /**
   * The join's replication lag changed ({@code SyncStatus.lag_seqs}); {@code epoch} is the epoch of
   * the configuration the replica holds.
   */
  default void lag(int chainId, long epoch, long lagSeqs) {}

  /** This node is no longer SYNCING in {@code chainId} (promoted, removed or stopped). */
  default void ended(int chainId) {}

  /** A listener that ignores everything. */
  SyncListener NONE =
      new SyncListener() {
        @Override
        public void progress(int chainId, long epoch, long records, long bytes) {}

        @Override
        public void caughtUp(int chainId, long epoch, long lastSeq) {}
      };
}
