package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.tests.check.FaultCluster;
import dev.catena.tests.check.Partition;
import dev.catena.tests.check.netns.CommandRunner;
import dev.catena.tests.check.netns.NetnsCommands;
import dev.catena.tests.check.netns.NetnsLayout;
import dev.catena.tests.check.netns.NetnsNetwork;
import dev.catena.tests.check.netns.PartitionSupport;
import dev.catena.tests.check.netns.ProcessCommandRunner;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §9 "iptables partitions inside network namespaces", on the real kernel (root only, else
 * skipped): rules really drop traffic and healing restores it; teardown leaves none of the run's
 * namespaces, veths or bridge behind, after a normal close, after a failed cluster start and when
 * the JVM exits without closing (shutdown hook). Only the run's own namespaces and bridge address
 * are contacted.
 */
class NetnsNetworkIT {
  private static final CommandRunner RUNNER = new ProcessCommandRunner(Duration.ofSeconds(20));
  private static PartitionSupport support;

  @BeforeAll
  static void probe() throws InterruptedException {
    support = PartitionSupport.probe(RUNNER);
  }

  /** Exit code of a TCP connect from inside {@code ns} to {@code address:port} (≤ 2 s). */
  private static int connectFrom(String ns, String address, int port) throws InterruptedException {
    return RUNNER
        .run(
            NetnsCommands.inNamespace(
                ns,
                List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port)))
        .exitCode();
  }

  private static List<String> lines(List<String> cmd) throws InterruptedException {
    return Arrays.stream(RUNNER.runOrThrow(cmd).output().split("\n"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Namespaces and links named like a Catena run's ({@code catena-…}, {@code cb-…}, veths). */
  private static List<String> catenaObjects() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (String ns : lines(List.of("ip", "netns", "list"))) {
      if (ns.startsWith(NetnsLayout.NAMESPACE_PREFIX)) {
        out.add(ns);
      }
    }
    for (String link : lines(List.of("ip", "-o", "link", "show"))) {
      String name = link.split(":")[1].strip();
      if (name.matches("cb-[0-9a-f]{2}|c[ve][0-9a-f]{6}n[0-9]+(@.*)?")) {
        out.add(name);
      }
    }
    return out;
  }

  @Test
  void rulesDropTrafficHealRestoresItAndCloseLeavesNothing() throws Exception {
    Prerequisite.require(support.supported(), support::skipMessage);
    NetnsLayout layout;
    try (NetnsNetwork net =
            NetnsNetwork.create(RUNNER, support.iptables(), new SplittableRandom(1));
        var server = new ServerSocket(0, 50, InetAddress.getByName(net.layout().bridgeAddress()))) {
      layout = net.layout();
      net.launch("n1", List.of("true"));
      net.launch("n2", List.of("true"));
      String ns1 = layout.namespace("n1");
      int port = server.getLocalPort();
      assertThat(connectFrom(ns1, layout.bridgeAddress(), port))
          .as("before the partition")
          .isZero();

      net.cut(new Partition(Partition.Shape.FROM_PEERS, List.of("n1"), List.of("n2")));
      assertThat(net.rulesOf("n1"))
          .contains("-A INPUT -s " + layout.nodeAddress("n2") + "/32 -j DROP")
          .contains("-A OUTPUT -d " + layout.nodeAddress("n2") + "/32 -j DROP")
          .doesNotContain(layout.bridgeAddress() + "/32");
      assertThat(net.rulesOf("n2")).contains("-A INPUT -s " + layout.nodeAddress("n1") + "/32");
      assertThat(connectFrom(ns1, layout.bridgeAddress(), port))
          .as("cut from peers only: ZooKeeper's address still reachable")
          .isZero();
      net.heal();

      net.cut(new Partition(Partition.Shape.FROM_ALL, List.of("n1"), List.of("n2")));
      assertThat(connectFrom(ns1, layout.bridgeAddress(), port))
          .as("cut from everything: connect times out")
          .isNotZero();
      assertThat(net.heal()).contains(ns1);
      assertThat(net.rulesOf("n1")).doesNotContain("DROP");
      assertThat(connectFrom(ns1, layout.bridgeAddress(), port)).as("after healing").isZero();
      assertThat(net.leftovers()).isNotEmpty();

      net.close();
      assertThat(net.leftovers()).isEmpty();
    }
    assertThat(lines(List.of("ip", "netns", "list")))
        .noneMatch(ns -> ns.startsWith(layout.namespacePrefix()));
  }

  @Test
  void aClusterThatCannotStartTearsItsNamespacesDown() throws Exception {
    Prerequisite.require(support.supported(), support::skipMessage);
    List<String> before = catenaObjects();
    Path dir = Path.of("target", "faults", "netns-failed-start").toAbsolutePath();
    FaultHarness.deleteRecursively(dir);
    // n1 starts in its namespace; n2's data directory cannot be created (a file is in the way)
    Files.createDirectories(dir.resolve("cluster"));
    Files.writeString(dir.resolve("cluster").resolve("n2"), "not a directory");
    assertThatThrownBy(
            () ->
                FaultCluster.startInNamespaces(
                    dir.resolve("cluster"),
                    3,
                    2,
                    Duration.ofSeconds(4),
                    new SplittableRandom(2),
                    support,
                    RUNNER))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("n2");
    assertThat(catenaObjects()).isSubsetOf(before);
  }

  @Test
  void theShutdownHookTearsDownWhenTheJvmExitsWithoutClosing() throws Exception {
    Prerequisite.require(support.supported(), support::skipMessage);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                NetnsHookMain.class.getName(),
                support.iptables(),
                "3")
            .redirectErrorStream(true)
            .start();
    String out;
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(out).isEqualTo(3);
    String prefix = out.replaceAll("(?s).*prefix=(\\S+).*", "$1");
    String bridge = out.replaceAll("(?s).*bridge=(\\S+).*", "$1");
    assertThat(prefix).as(out).matches("catena-[0-9a-f]{6}-");
    assertThat(lines(List.of("ip", "netns", "list"))).noneMatch(ns -> ns.startsWith(prefix));
    assertThat(lines(List.of("ip", "-o", "link", "show")))
        .noneMatch(l -> l.contains(" " + bridge + ":"))
        .noneMatch(l -> l.contains(prefix.substring("catena-".length(), prefix.length() - 1)));
  }
}
