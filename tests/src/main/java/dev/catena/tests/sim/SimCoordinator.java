package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import java.util.List;
import java.util.SortedMap;

/**
 * The coordinator as the simulation sees it (DESIGN.md §6): a pure policy over chain
 * configurations. The simulation models ZooKeeper around it — it reports a node's session expiry
 * only after the session timeout, and delivers every changed view to every node with its own random
 * delay, so nodes learn a new configuration at different times. A real {@code Reconfigurer} can be
 * plugged in behind this interface.
 */
public interface SimCoordinator {
  /** The current configuration of every chain, by chain id. */
  SortedMap<Integer, ChainView> views();

  /**
   * The ZooKeeper session of {@code node} expired (the node crashed or was cut off from ZooKeeper
   * for longer than the session timeout). Returns the views that changed, with bumped epochs.
   */
  List<ChainView> onSessionExpired(String node);
}
