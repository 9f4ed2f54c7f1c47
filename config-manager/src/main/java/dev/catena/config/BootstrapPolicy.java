package dev.catena.config;

import java.util.List;

/**
 * The policy the coordinator runs today: bootstrap only. While no shard map exists and at least
 * {@code expectedNodes} nodes are registered, it returns the {@link ClusterBootstrap} plan over all
 * registered nodes; in every other case (fewer nodes, cluster already bootstrapped, a node lost or
 * joined later) it returns {@link Reconfiguration#none()}.
 *
 * <p><b>Failure handling is not implemented yet</b>: a lost node stays in its chains. The
 * reconfigurations of DESIGN §4 (head, middle, tail failure, rejoin as SYNCING) belong in a policy
 * that delegates to this one for the bootstrap case.
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
        ClusterBootstrap.plan(state.settings(), List.copyOf(state.nodes().keySet()));
    return new Reconfiguration(plan.chains(), java.util.Optional.of(plan.shardMap()));
  }
}
