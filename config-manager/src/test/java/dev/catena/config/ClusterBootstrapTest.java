package dev.catena.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.MemberState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterBootstrapTest {
  private static ClusterSettings settings(int shards, int chainLength) {
    return ClusterSettings.newBuilder().setShardCount(shards).setChainLength(chainLength).build();
  }

  private static List<String> nodes(int n) {
    return IntStream.range(0, n).mapToObj(i -> "node-" + i).toList();
  }

  @Test
  void rotatedTableEveryNodeHeadOnceAndTailOnce() {
    // DESIGN §3: N nodes, chain length R -> N chains, each node head of one and tail of one.
    BootstrapPlan plan = ClusterBootstrap.plan(settings(16, 3), nodes(5));

    assertThat(plan.chains()).hasSize(5);
    Map<String, Integer> heads = new HashMap<>();
    Map<String, Integer> tails = new HashMap<>();
    for (ChainConfig c : plan.chains()) {
      assertThat(c.getEpoch()).isEqualTo(1);
      assertThat(c.getMembersList()).hasSize(3);
      assertThat(c.getMembersList()).allMatch(m -> m.getState() == MemberState.ACTIVE);
      assertThat(c.getMembersList().stream().map(ChainMember::getNodeId).distinct()).hasSize(3);
      heads.merge(c.getMembers(0).getNodeId(), 1, Integer::sum);
      tails.merge(c.getMembers(2).getNodeId(), 1, Integer::sum);
    }
    assertThat(heads).hasSize(5).allSatisfy((n, count) -> assertThat(count).isEqualTo(1));
    assertThat(tails).hasSize(5).allSatisfy((n, count) -> assertThat(count).isEqualTo(1));
    assertThat(plan.chains().get(0).getMembersList().stream().map(ChainMember::getNodeId))
        .containsExactly("node-0", "node-1", "node-2");
  }

  @Test
  void shardMapVersionOneSpreadEvenlyOverChains() {
    BootstrapPlan plan = ClusterBootstrap.plan(settings(1024, 3), nodes(7));

    assertThat(plan.shardMap().getVersion()).isEqualTo(1);
    assertThat(plan.shardMap().getShardCount()).isEqualTo(1024);
    assertThat(plan.shardMap().getChainIdsList()).hasSize(1024);
    Map<Integer, Integer> perChain = new HashMap<>();
    plan.shardMap().getChainIdsList().forEach(c -> perChain.merge(c, 1, Integer::sum));
    assertThat(perChain.keySet())
        .containsExactlyInAnyOrderElementsOf(
            plan.chains().stream().map(ChainConfig::getChainId).toList());
    int min = Collections.min(perChain.values());
    int max = Collections.max(perChain.values());
    assertThat(max - min).isLessThanOrEqualTo(1);
  }

  static IntStream seeds() {
    return IntStream.range(0, 50);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void independentOfRegistrationOrder(int seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 1 + rnd.nextInt(12);
    int r = 1 + rnd.nextInt(n);
    int shards = 1 + rnd.nextInt(300);
    List<String> ids = new ArrayList<>(nodes(n));
    BootstrapPlan expected = ClusterBootstrap.plan(settings(shards, r), ids);
    for (int i = ids.size() - 1; i > 0; i--) {
      Collections.swap(ids, i, rnd.nextInt(i + 1));
    }
    assertThat(ClusterBootstrap.plan(settings(shards, r), ids))
        .as("seed %d (n=%d r=%d shards=%d)", seed, n, r, shards)
        .isEqualTo(expected);
  }

  @Test
  void rejectsFewerNodesThanChainLength() {
    assertThatThrownBy(() -> ClusterBootstrap.plan(settings(8, 3), nodes(2)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("at least 3");
  }

  @Test
  void rejectsBadSettingsAndIds() {
    assertThatThrownBy(() -> ClusterBootstrap.plan(settings(0, 1), nodes(2)))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ClusterBootstrap.plan(settings(4, 0), nodes(2)))
        .isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> ClusterBootstrap.plan(settings(4, 1), List.of("a", "a")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> ClusterBootstrap.plan(settings(4, 1), List.of("a/b")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("invalid node id");
  }
}
