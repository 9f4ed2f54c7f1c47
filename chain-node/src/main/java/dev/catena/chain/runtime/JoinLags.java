package dev.catena.chain.runtime;

import dev.catena.chain.protocol.ChainReplica;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells a {@link SyncListener} when the replication lag (or the epoch) of a SYNCING replica
 * changes, and when a replica it reported on is no longer SYNCING. Owned by the runtime's loop
 * thread; not thread-safe.
 */
final class JoinLags {
  private final Map<Integer, long[]> reported = new HashMap<>(); // chain -> {epoch, lag}

  /** Called after each event the replica of {@code chainId} handled. */
  void after(int chainId, ChainReplica r, SyncListener listener) {
    long lag = r.joinLag();
    if (lag < 0) {
      if (reported.remove(chainId) != null) {
        listener.ended(chainId);
      }
      return;
    }
    long epoch = r.view().epoch();
    long[] known = reported.get(chainId);
    if (known == null || known[0] != epoch || known[1] != lag) {
      reported.put(chainId, new long[] {epoch, lag});
      listener.lag(chainId, epoch, lag);
    }
  }
}
