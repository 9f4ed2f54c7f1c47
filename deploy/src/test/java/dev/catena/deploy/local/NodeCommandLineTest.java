package dev.catena.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line of a storage node process: default localhost, or an explicit host. */
class NodeCommandLineTest {
  private static final Path DIR = Path.of("data", "n2");

  @Test
  void defaultCommandLeavesTheHostToTheNodeDefault() {
    List<String> cmd =
        LocalCluster.nodeCommand(
            "n2", 7102, DIR, "127.0.0.1:2181", "catena", "group", Duration.ofSeconds(4));
    assertThat(cmd).doesNotContain("--host");
    assertThat(tail(cmd))
        .containsExactly(
            "node",
            "--id",
            "n2",
            "--port",
            "7102",
            "--data",
            DIR.toString(),
            "--zk",
            "127.0.0.1:2181",
            "--cluster",
            "catena",
            "--fsync",
            "group",
            "--session-timeout-ms",
            "4000",
            "--exit-with-parent");
  }

  @Test
  void hostOverloadBindsAndAdvertisesTheGivenAddress() {
    List<String> cmd =
        LocalCluster.nodeCommand(
            "n2",
            "10.231.7.12",
            7102,
            DIR,
            "10.231.7.1:2181",
            "catena",
            "group",
            Duration.ofSeconds(4));
    assertThat(tail(cmd))
        .containsSubsequence("node", "--id", "n2", "--host", "10.231.7.12", "--port", "7102")
        .containsSubsequence("--zk", "10.231.7.1:2181");
    assertThat(cmd.get(0)).endsWith("java");
  }

  @Test
  void localhostNetworkRunsTheCommandUnchanged() {
    List<String> cmd = List.of("java", "-cp", "x", "Main");
    assertThat(NodeNetwork.LOCALHOST.launch("n1", cmd)).isEqualTo(cmd);
    assertThat(NodeNetwork.LOCALHOST.nodeHost("n1")).isEqualTo("127.0.0.1");
    assertThat(NodeNetwork.LOCALHOST.zookeeperHost()).isEqualTo("127.0.0.1");
  }

  private static List<String> tail(List<String> cmd) {
    return cmd.subList(cmd.indexOf("node"), cmd.size());
  }
}
