package dev.catena.tests.check.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.tests.check.Partition;
import dev.catena.tests.check.netns.CommandRunner.Result;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The namespace network's shell logic against a scripted command runner (no root needed). */
class NetnsNetworkTest {
  private static final Result OK = new Result(0, "");

  @Test
  void claimsASubnetNoInterfaceUsesAndNoOtherRunHolds() throws Exception {
    // The first subnet this seed picks is in use by an address, the second one's bridge exists.
    var probe = new SplittableRandom(5);
    int first = 1 + probe.nextInt(254);
    probe.nextInt(0x10000);
    int second = 1 + probe.nextInt(254);
    String taken = String.format("cb-%02x", second);
    var runner =
        new ScriptedRunner(
            cmd -> {
              if (cmd.equals("ip -4 -o addr show")) {
                return new Result(0, "9: x    inet 10.231." + first + ".7/24 scope global x\n");
              }
              if (cmd.equals("ip link add " + taken + " type bridge")) {
                return new Result(2, "RTNETLINK answers: File exists");
              }
              return OK;
            });
    try (NetnsNetwork net = NetnsNetwork.create(runner, "iptables", new SplittableRandom(5))) {
      assertThat(net.layout().subnet()).isNotIn(first, second);
      assertThat(runner.matching("type bridge")).hasSize(2);
      assertThat(net.zookeeperHost()).isEqualTo(net.layout().bridgeAddress());
    }
  }

  @Test
  void launchCreatesTheNamespaceOnceAndExecsTheCommandInIt() throws Exception {
    var runner = ScriptedRunner.allOk();
    try (NetnsNetwork net = NetnsNetwork.create(runner, "iptables", new SplittableRandom(1))) {
      NetnsLayout l = net.layout();
      List<String> cmd = net.launch("n1", List.of("java", "-version"));
      assertThat(cmd).containsExactly("ip", "netns", "exec", l.namespace("n1"), "java", "-version");
      net.launch("n1", List.of("java", "-version"));
      assertThat(runner.matching("ip netns add"))
          .containsExactly("ip netns add " + l.namespace("n1"));
      assertThat(net.nodeHost("n1")).isEqualTo(l.nodeAddress("n1"));
    }
  }

  @Test
  void cutThenHealFlushesOnlyTheNamespacesThatGotRules() throws Exception {
    var runner = ScriptedRunner.allOk();
    try (NetnsNetwork net = NetnsNetwork.create(runner, "iptables", new SplittableRandom(2))) {
      NetnsLayout l = net.layout();
      for (String n : List.of("n1", "n2", "n3")) {
        net.launch(n, List.of("java"));
      }
      net.cut(new Partition(Partition.Shape.FROM_PEERS, List.of("n1"), List.of("n2")));
      assertThat(net.partitioned()).isTrue();
      assertThat(runner.matching("-j DROP")).hasSize(4);
      assertThatThrownBy(
              () -> net.cut(new Partition(Partition.Shape.FROM_ALL, List.of("n3"), List.of("n1"))))
          .isInstanceOf(IllegalStateException.class);
      assertThat(net.heal()).containsExactly(l.namespace("n1"), l.namespace("n2"));
      assertThat(runner.matching(" -F ")).hasSize(4).noneMatch(c -> c.contains(l.namespace("n3")));
      assertThat(net.partitioned()).isFalse();
      assertThat(net.heal()).isEmpty();
    }
  }

  @Test
  void aFailedRuleHealsWhatWasInstalled() throws Exception {
    var runner =
        new ScriptedRunner(
            cmd -> cmd.contains("-A OUTPUT") ? new Result(4, "iptables: no chain") : OK);
    try (NetnsNetwork net = NetnsNetwork.create(runner, "iptables", new SplittableRandom(3))) {
      net.launch("n1", List.of("java"));
      net.launch("n2", List.of("java"));
      assertThatThrownBy(
              () -> net.cut(new Partition(Partition.Shape.FROM_ALL, List.of("n1"), List.of("n2"))))
          .isInstanceOf(CommandFailedException.class)
          .hasMessageContaining("no chain");
      assertThat(net.partitioned()).isFalse();
      assertThat(runner.matching(" -F INPUT")).hasSize(2);
    }
  }

  @Test
  void closeHealsAndRemovesEveryVethNamespaceAndTheBridgeOnce() throws Exception {
    var runner = ScriptedRunner.allOk();
    NetnsNetwork net = NetnsNetwork.create(runner, "iptables", new SplittableRandom(4));
    NetnsLayout l = net.layout();
    net.launch("n1", List.of("java"));
    net.launch("n2", List.of("java"));
    net.cut(new Partition(Partition.Shape.HALVES, List.of("n1"), List.of("n2")));
    int before = runner.commands.size();
    net.close();
    assertThat(runner.commands.subList(before, runner.commands.size()))
        .containsExactly(
            "ip netns exec " + l.namespace("n1") + " iptables -w -F INPUT",
            "ip netns exec " + l.namespace("n1") + " iptables -w -F OUTPUT",
            "ip netns exec " + l.namespace("n2") + " iptables -w -F INPUT",
            "ip netns exec " + l.namespace("n2") + " iptables -w -F OUTPUT",
            "ip link del " + l.hostVeth("n1"),
            "ip netns del " + l.namespace("n1"),
            "ip link del " + l.hostVeth("n2"),
            "ip netns del " + l.namespace("n2"),
            "ip link del " + l.bridge());
    int after = runner.commands.size();
    net.close();
    assertThat(runner.commands).hasSize(after);
    assertThatThrownBy(() -> net.launch("n3", List.of("java")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void teardownTriesEverythingAndReportsWhatFailed() throws Exception {
    var runner =
        new ScriptedRunner(
            cmd ->
                cmd.startsWith("ip netns del")
                    ? new Result(1, "Cannot remove namespace file: Device or resource busy")
                    : cmd.startsWith("ip link del cv") ? new Result(1, "Cannot find device") : OK);
    NetnsNetwork net = NetnsNetwork.create(runner, "iptables", new SplittableRandom(6));
    net.launch("n1", List.of("java"));
    assertThatThrownBy(net::close)
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("ip netns del " + net.layout().namespace("n1"))
        .hasMessageNotContaining("ip link del cv");
    assertThat(runner.commands).last().isEqualTo("ip link del " + net.layout().bridge());
  }
}
