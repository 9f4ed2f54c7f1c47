package dev.catena.config;

import java.util.List;

/**
 * The bootstrap policy ({@link Reconfigurer} delegates to it until the cluster is bootstrapped).
 * While no shard map exists and at least {@code expectedNodes} nodes are registered, it returns the
 * {@link ClusterBootstrap} plan over all registered nodes; in every other case (fewer nodes,
 * cluster already bootstrapped, a node lost or joined later) it returns {@link
 * Reconfiguration#none()}.
 *
 * <p>On its own it does no failure handling (a lost node stays in its chains); {@link Reconfigurer}
 * adds that.
 */
public final class BootstrapPolicy implements ReconfigurationPolicy {
  private final int expectedNodes;

  /**
   * @param expectedNodes how many registered nodes to wait for before bootstrapping, {@code >= 1}
   * @throws InvalidConfigException if {@code expectedNodes < 1}
   */
  public BootstrapPolicy(int expectedNodes) {
    if (expectedNodes < 1) {
      throw new InvalidConfigException("expected nodes must be >= 1: " + expectedNodes);
    }
    this.expectedNodes = expectedNodes;
  }

  public int expectedNodes() {
    return expectedNodes;
  }

  @Override
  public Reconfiguration next(ClusterSnapshot state, ClusterEvent event) {
    if (state.isBootstrapped() || !state.chains().isEmpty()) {
      return Reconfiguration.none();
    }
    if (state.nodes().size() < Math.max(expectedNodes, state.settings().getChainLength())) {
      return Reconfiguration.none();
    }
    BootstrapPlan plan =
        ClusterBootstrap.plan(
            state.settings(),
            List.copyOf(state.nodes().keySet()),
            n -> state.nodes().get(n).getIncarnation());
    return new Reconfiguration(plan.chains(), java.util.Optional.of(plan.shardMap()));
  }
}
