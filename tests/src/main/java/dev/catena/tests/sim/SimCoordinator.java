package dev.catena.tests.sim;

import dev.catena.config.ClusterEvent;
import dev.catena.config.ClusterSnapshot;
import dev.catena.config.Reconfiguration;
import dev.catena.config.ReconfigurationPolicy;

/**
 * The coordinator (DESIGN.md §6) as the simulation runs it: the real, pure policy ({@code
 * dev.catena.config.Reconfigurer} by default) driven like {@code config.Coordinator} drives it. An
 * event (a registration appearing or vanishing, a sync report) wakes it; after a simulated
 * ZooKeeper round trip it reads a {@link ClusterSnapshot}, asks the policy for the next step and
 * publishes it, then evaluates again after another round trip until the policy has nothing to do,
 * and tidies up stale sync reports. So multi-step work (remove a lost node, add a joiner, promote
 * it) is published one step at a time. Events that arrive while an evaluation is already scheduled
 * are folded into it: the policy decides from the state (level triggered), the event is a hint.
 */
final class SimCoordinator {
  private final SimWorld world;
  private final SimZooKeeper zk;
  private final ReconfigurationPolicy policy;
  private boolean scheduled;

  SimCoordinator(SimWorld world, SimZooKeeper zk, ReconfigurationPolicy policy) {
    this.world = world;
    this.zk = zk;
    this.policy = policy;
  }

  /** Something changed: evaluate after a ZooKeeper round trip (unless already scheduled). */
  void wake(ClusterEvent event) {
    if (scheduled) {
      return;
    }
    scheduled = true;
    world.scheduler.after(
        world.zkDelay(), "coordinator " + event.getClass().getSimpleName(), () -> evaluate(event));
  }

  private void evaluate(ClusterEvent event) {
    scheduled = false;
    Reconfiguration next = policy.next(zk.snapshot(), event);
    if (next.isEmpty()) {
      zk.tidy();
      return;
    }
    world.count("coordinator-steps");
    zk.publish(next);
    wake(new ClusterEvent.Resync());
  }

  /** True if no evaluation is scheduled and the last one found nothing to do. */
  boolean idle() {
    return !scheduled;
  }
}
