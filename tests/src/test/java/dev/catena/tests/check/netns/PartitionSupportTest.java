package dev.catena.tests.check.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.check.netns.CommandRunner.Result;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When the partition nemesis runs and when it is skipped, with the skip message. */
class PartitionSupportTest {
  private static final Result OK = new Result(0, "");

  private static Function<String, Result> machine(
      String uid, boolean netns, boolean nft, boolean legacy) {
    return cmd -> {
      if (cmd.equals("id -u")) {
        return new Result(0, uid + "\n");
      }
      if (cmd.startsWith("ip netns exec") && cmd.contains(" iptables-legacy ")) {
        return legacy ? OK : new Result(127, "cannot run iptables-legacy: not found");
      }
      if (cmd.startsWith("ip netns exec") && cmd.contains(" iptables ")) {
        return nft ? OK : new Result(127, "cannot run iptables: not found");
      }
      if (cmd.startsWith("ip netns")) {
        return netns
            ? OK
            : new Result(1, "mount --make-shared /run/netns failed: Operation not permitted");
      }
      return new Result(1, "unexpected " + cmd);
    };
  }

  @Test
  void notRootIsSkippedWithTheMessage() throws Exception {
    var runner = new ScriptedRunner(machine("1000", true, true, true));
    PartitionSupport s = PartitionSupport.probe(runner);
    assertThat(s.supported()).isFalse();
    assertThat(s.skipMessage())
        .isEqualTo(
            "nemesis partition skipped: needs root and network namespaces (not running as root)");
    assertThat(runner.matching("ip netns add")).isEmpty();
  }

  @Test
  void noNetworkNamespacesIsSkipped() throws Exception {
    PartitionSupport s =
        PartitionSupport.probe(new ScriptedRunner(machine("0", false, true, true)));
    assertThat(s.supported()).isFalse();
    assertThat(s.skipMessage())
        .startsWith(PartitionSupport.SKIP)
        .contains("'ip netns' does not work: mount --make-shared");
  }

  @Test
  void noIptablesIsSkippedAndTheProbeNamespaceIsDeleted() throws Exception {
    var runner = new ScriptedRunner(machine("0", true, false, false));
    PartitionSupport s = PartitionSupport.probe(runner);
    assertThat(s.supported()).isFalse();
    assertThat(s.skipMessage())
        .startsWith(PartitionSupport.SKIP)
        .contains("no iptables works in a namespace (install iptables)");
    assertThat(runner.matching("ip netns add")).hasSize(1);
    String ns = runner.matching("ip netns add").get(0).substring("ip netns add ".length());
    assertThat(ns).startsWith("catena-probe-");
    assertThat(runner.commands).last().isEqualTo("ip netns del " + ns);
  }

  @Test
  void theNftablesIptablesIsPreferredAndLegacyIsTheFallback() throws Exception {
    PartitionSupport both =
        PartitionSupport.probe(new ScriptedRunner(machine("0", true, true, true)));
    assertThat(both).isEqualTo(new PartitionSupport(true, "iptables", ""));
    var runner = new ScriptedRunner(machine("0", true, false, true));
    PartitionSupport legacy = PartitionSupport.probe(runner);
    assertThat(legacy).isEqualTo(new PartitionSupport(true, "iptables-legacy", ""));
    assertThat(runner.commands.get(runner.commands.size() - 1))
        .startsWith("ip netns del catena-probe-");
  }
}
