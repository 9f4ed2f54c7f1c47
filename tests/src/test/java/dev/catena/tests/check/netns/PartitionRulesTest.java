package dev.catena.tests.check.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.check.NemesisKind;
import dev.catena.tests.check.NemesisPlanner;
import dev.catena.tests.check.Partition;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DESIGN §9 "iptables partitions inside network namespaces": the rules each partition installs. */
class PartitionRulesTest {
  private static final NetnsLayout L = NetnsLayout.of(7, 1);
  private static final List<String> NODES = List.of("n1", "n2", "n3", "n4");
  private final PartitionRules rules = new PartitionRules("iptables");

  private static List<String> ipt(String node, String... args) {
    var cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", L.namespace(node)));
    cmd.add("iptables");
    cmd.add("-w");
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void fromPeersDropsOnlyPeerAddressesAtBothEnds() {
    var p = new Partition(Partition.Shape.FROM_PEERS, List.of("n2"), List.of("n1", "n3", "n4"));
    assertThat(rules.apply(p, L))
        .containsExactly(
            ipt("n1", "-A", "INPUT", "-s", "10.231.7.12", "-j", "DROP"),
            ipt("n1", "-A", "OUTPUT", "-d", "10.231.7.12", "-j", "DROP"),
            ipt("n2", "-A", "INPUT", "-s", "10.231.7.11", "-j", "DROP"),
            ipt("n2", "-A", "OUTPUT", "-d", "10.231.7.11", "-j", "DROP"),
            ipt("n2", "-A", "INPUT", "-s", "10.231.7.13", "-j", "DROP"),
            ipt("n2", "-A", "OUTPUT", "-d", "10.231.7.13", "-j", "DROP"),
            ipt("n2", "-A", "INPUT", "-s", "10.231.7.14", "-j", "DROP"),
            ipt("n2", "-A", "OUTPUT", "-d", "10.231.7.14", "-j", "DROP"),
            ipt("n3", "-A", "INPUT", "-s", "10.231.7.12", "-j", "DROP"),
            ipt("n3", "-A", "OUTPUT", "-d", "10.231.7.12", "-j", "DROP"),
            ipt("n4", "-A", "INPUT", "-s", "10.231.7.12", "-j", "DROP"),
            ipt("n4", "-A", "OUTPUT", "-d", "10.231.7.12", "-j", "DROP"));
  }

  @Test
  void fromAllAlsoDropsTheBridgeAddressOfZooKeeperAndClients() {
    var p = new Partition(Partition.Shape.FROM_ALL, List.of("n2"), List.of("n1", "n3", "n4"));
    assertThat(PartitionRules.blocked(p, L))
        .isEqualTo(
            Map.of(
                "n1", List.of("10.231.7.12"),
                "n2", List.of("10.231.7.1", "10.231.7.11", "10.231.7.13", "10.231.7.14"),
                "n3", List.of("10.231.7.12"),
                "n4", List.of("10.231.7.12")));
  }

  @Test
  void halvesCutEveryCrossLinkAndOnlyTheFarSideLosesZooKeeper() {
    var p = new Partition(Partition.Shape.HALVES, List.of("n1", "n3"), List.of("n2", "n4"));
    assertThat(PartitionRules.blocked(p, L))
        .isEqualTo(
            Map.of(
                "n1", List.of("10.231.7.1", "10.231.7.12", "10.231.7.14"),
                "n2", List.of("10.231.7.11", "10.231.7.13"),
                "n3", List.of("10.231.7.1", "10.231.7.12", "10.231.7.14"),
                "n4", List.of("10.231.7.11", "10.231.7.13")));
  }

  @Test
  void healFlushesBothChainsAndListShowsTheRules() {
    var legacy = new PartitionRules("iptables-legacy");
    assertThat(legacy.heal("catena-070001-n1"))
        .containsExactly(
            List.of(
                "ip", "netns", "exec", "catena-070001-n1", "iptables-legacy", "-w", "-F", "INPUT"),
            List.of(
                "ip",
                "netns",
                "exec",
                "catena-070001-n1",
                "iptables-legacy",
                "-w",
                "-F",
                "OUTPUT"));
    assertThat(legacy.list("catena-070001-n1"))
        .containsExactly("ip", "netns", "exec", "catena-070001-n1", "iptables-legacy", "-w", "-S");
  }

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  /**
   * Every planned partition, on 2..9 nodes: each cross link is dropped at both ends, no link within
   * a side is dropped, and only cut-off nodes drop ZooKeeper's address, exactly when the shape cuts
   * them from it.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void plannedPartitionsCutExactlyTheCrossLinks(long seed) {
    var random = new SplittableRandom(seed);
    int n = 2 + random.nextInt(8);
    List<String> nodes = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nodes.add("n" + i);
    }
    var planner =
        new NemesisPlanner(
            EnumSet.of(NemesisKind.PARTITION), Duration.ofSeconds(4), random.split());
    for (int step = 0; step < 6; step++) {
      Partition p = planner.next(nodes, Set.of(), Set.of()).partition();
      Map<String, List<String>> blocked = PartitionRules.blocked(p, L);
      for (String a : nodes) {
        List<String> drops = blocked.getOrDefault(a, List.of());
        boolean aCut = p.cutOff().contains(a);
        for (String b : nodes) {
          boolean cross = aCut != p.cutOff().contains(b);
          assertThat(drops.contains(L.nodeAddress(b)))
              .as("seed=%d %s: %s drops %s", seed, p.describe(), a, b)
              .isEqualTo(cross);
        }
        assertThat(drops.contains(L.bridgeAddress()))
            .as("seed=%d %s: %s drops ZooKeeper", seed, p.describe(), a)
            .isEqualTo(aCut && p.cutFromZooKeeper());
      }
    }
  }
}
