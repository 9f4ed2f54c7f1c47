package dev.catena.deploy.zk;

import dev.catena.chain.runtime.SyncListener;
import dev.catena.proto.v1.SnapshotTotals;
import java.util.List;

/**
 * Passes every join event to each of its listeners in order (the ZooKeeper sync report, then the
 * node's catch-up metrics). Like every {@link SyncListener} it must not block, so neither may its
 * listeners.
 */
final class TeeSyncListener implements SyncListener {
  private final List<SyncListener> listeners;

  TeeSyncListener(List<SyncListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void progress(int chainId, long epoch, long records, long bytes) {
    listeners.forEach(l -> l.progress(chainId, epoch, records, bytes));
  }

  @Override
  public void caughtUp(int chainId, long epoch, long lastSeq) {
    listeners.forEach(l -> l.caughtUp(chainId, epoch, lastSeq));
  }

  @Override
  public void planned(int chainId, long epoch, SnapshotTotals totals, boolean diff) {
    listeners.forEach(l -> l.planned(chainId, epoch, totals, diff));
  }

  @Override
  public void installed(int chainId, long epoch, long records, long bytes) {
    listeners.forEach(l -> l.installed(chainId, epoch, records, bytes));
  }

  @Override
  public void lag(int chainId, long epoch, long lagSeqs) {
    listeners.forEach(l -> l.lag(chainId, epoch, lagSeqs));
  }

  @Override
  public void ended(int chainId) {
    listeners.forEach(l -> l.ended(chainId));
  }
}
