package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A minimal coordinator policy (model of DESIGN.md §6 until the real {@code Reconfigurer} exists):
 * chains are laid out by rotation (§3: chain i = n_i … n_{i+R−1}); when a node's session expires it
 * is removed from every chain it is an ACTIVE member of, with the epoch bumped (head, middle or
 * tail removal, CR §3) — unless it is the chain's last member, which stays so the chain is not lost
 * (it is unavailable until the node restarts with its durable data). Removed nodes are never
 * re-added (rejoin/resync is not modelled).
 */
public final class RemovingCoordinator implements SimCoordinator {
  private final TreeMap<Integer, ChainView> views = new TreeMap<>();

  /** Rotation layout of {@code nodes.size()} chains with {@code replication} members each. */
  public RemovingCoordinator(List<String> nodes, int replication) {
    if (replication < 1 || replication > nodes.size()) {
      throw new IllegalArgumentException("replication " + replication + " for " + nodes.size());
    }
    for (int c = 0; c < nodes.size(); c++) {
      var members = new ArrayList<String>();
      for (int k = 0; k < replication; k++) {
        members.add(nodes.get((c + k) % nodes.size()));
      }
      views.put(c, ChainView.of(c, 1, members));
    }
  }

  @Override
  public SortedMap<Integer, ChainView> views() {
    return Collections.unmodifiableSortedMap(views);
  }

  @Override
  public List<ChainView> onSessionExpired(String node) {
    var changed = new ArrayList<ChainView>();
    for (var e : views.entrySet()) {
      ChainView v = e.getValue();
      if (v.active().contains(node) && v.active().size() > 1) {
        var active = new ArrayList<>(v.active());
        active.remove(node);
        ChainView next = new ChainView(v.chainId(), v.epoch() + 1, active, v.syncing());
        e.setValue(next);
        changed.add(next);
      }
    }
    return changed;
  }
}
