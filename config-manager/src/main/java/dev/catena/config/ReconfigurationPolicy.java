package dev.catena.config;

/**
 * The coordinator's pure decision function (DESIGN §6): given the current state and the event that
 * woke the coordinator, what should the configuration become? No I/O, no clock, no threads; the
 * coordinator writes the result with compare-and-set and calls again on the next event, so a policy
 * only has to be correct for one step.
 */
@FunctionalInterface
public interface ReconfigurationPolicy {
  Reconfiguration next(ClusterSnapshot state, ClusterEvent event);

  /**
   * Whether the cluster needs no further step, even with a rebalance requested; the coordinator
   * then deletes a pending rebalance request. By default: nothing to do on a re-sync.
   */
  default boolean isSettled(ClusterSnapshot state) {
    return next(state, new ClusterEvent.Resync()).isEmpty();
  }
}
