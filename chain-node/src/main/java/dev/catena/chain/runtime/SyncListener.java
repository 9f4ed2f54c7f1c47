package dev.catena.chain.runtime;

/**
 * Receives the progress of this node's joins (SYNCING memberships), to be published for the
 * coordinator and for {@code cluster status}. Called from runtime threads; must not block.
 */
public interface SyncListener {
  /** Snapshot records and bytes installed so far for a join of {@code chainId} at {@code epoch}. */
  void progress(int chainId, long epoch, long records, long bytes);

  /** The join of {@code chainId} at {@code epoch} has caught up; the node may be promoted. */
  void caughtUp(int chainId, long epoch, long lastSeq);

  /** A listener that ignores everything. */
  SyncListener NONE =
      new SyncListener() {
        @Override
        public void progress(int chainId, long epoch, long records, long bytes) {}

        @Override
        public void caughtUp(int chainId, long epoch, long lastSeq) {}
      };
}
