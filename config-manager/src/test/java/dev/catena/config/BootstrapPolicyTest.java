package dev.catena.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BootstrapPolicyTest {
  private static final ClusterSettings SETTINGS =
      ClusterSettings.newBuilder().setShardCount(8).setChainLength(2).build();

  private static Map<String, NodeInfo> nodes(int n) {
    Map<String, NodeInfo> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      m.put("n" + i, NodeInfo.newBuilder().setNodeId("n" + i).build());
    }
    return m;
  }

  private static ClusterSnapshot empty(int nodes) {
    return new ClusterSnapshot(SETTINGS, nodes(nodes), Map.of(), Optional.empty());
  }

  @Test
  void waitsForExpectedNodes() {
    BootstrapPolicy policy = new BootstrapPolicy(3);
    assertThat(policy.next(empty(2), new ClusterEvent.NodeJoined("n1")).isEmpty()).isTrue();

    Reconfiguration r = policy.next(empty(3), new ClusterEvent.NodeJoined("n2"));
    BootstrapPlan plan = ClusterBootstrap.plan(SETTINGS, java.util.List.of("n0", "n1", "n2"));
    assertThat(r.chains()).isEqualTo(plan.chains());
    assertThat(r.shardMap()).contains(plan.shardMap());
  }

  @Test
  void neverFewerNodesThanChainLength() {
    BootstrapPolicy policy = new BootstrapPolicy(1);
    assertThat(policy.next(empty(1), new ClusterEvent.LeadershipAcquired()).isEmpty()).isTrue();
    assertThat(policy.next(empty(2), new ClusterEvent.LeadershipAcquired()).isEmpty()).isFalse();
  }

  @Test
  void bootstrappedClusterAndNodeLossAreNoOps() {
    // Failure handling is not implemented yet: node loss changes nothing.
    BootstrapPlan plan = ClusterBootstrap.plan(SETTINGS, java.util.List.of("n0", "n1", "n2"));
    Map<Integer, Versioned<ChainConfig>> chains = new TreeMap<>();
    plan.chains().forEach(c -> chains.put(c.getChainId(), new Versioned<>(c, 0)));
    ClusterSnapshot state =
        new ClusterSnapshot(
            SETTINGS, nodes(2), chains, Optional.of(new Versioned<>(plan.shardMap(), 0)));
    BootstrapPolicy policy = new BootstrapPolicy(3);
    assertThat(policy.next(state, new ClusterEvent.NodeLost("n2")).isEmpty()).isTrue();
    assertThat(policy.next(state, new ClusterEvent.Resync()).isEmpty()).isTrue();
  }

  @Test
  void toUpdateCreatesAbsentAndReplacesPresentWithTheirVersions() {
    BootstrapPlan plan = ClusterBootstrap.plan(SETTINGS, java.util.List.of("n0", "n1"));
    ChainConfig c0 = plan.chains().get(0);
    ClusterSnapshot basis =
        new ClusterSnapshot(
            SETTINGS, nodes(2), Map.of(0, new Versioned<>(c0, 7)), Optional.empty());
    ChainConfig c0next = c0.toBuilder().setEpoch(2).build();
    ConfigUpdate u =
        new Reconfiguration(
                java.util.List.of(c0next, plan.chains().get(1)), Optional.of(plan.shardMap()))
            .toUpdate(basis);
    assertThat(u.chains())
        .containsExactly(new CasWrite<>(c0next, 7), CasWrite.create(plan.chains().get(1)));
    assertThat(u.shardMap()).contains(CasWrite.create(plan.shardMap()));
  }

  @Test
  void rejectsInvalidInput() {
    assertThatThrownBy(() -> new BootstrapPolicy(0)).isInstanceOf(InvalidConfigException.class);
    ChainConfig c = ChainConfig.newBuilder().setChainId(1).build();
    assertThatThrownBy(
            () ->
                new ConfigUpdate(
                    java.util.List.of(CasWrite.create(c), CasWrite.create(c)), Optional.empty()))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new ConfigUpdate(java.util.List.of(), Optional.empty()))
        .isInstanceOf(InvalidConfigException.class);
  }
}
