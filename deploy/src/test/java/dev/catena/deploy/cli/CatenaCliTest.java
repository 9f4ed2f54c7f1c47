package dev.catena.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command-line parsing and error reporting: bad input is a one-line error and a non-zero exit. */
class CatenaCliTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cl = CatenaCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void malformedFsyncPolicyIsAOneLineError() {
    Run r = run("node", "--id", "n1", "--data", "x", "--fsync", "sometimes");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err().strip()).startsWith("catena: --fsync must be always, group or none");
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void invalidNodeIdIsRefused() {
    Run r = run("node", "--id", "bad id!", "--data", "x");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("invalid node id");
  }

  @Test
  void chainLongerThanNodesIsRefused() {
    Run r = run("local", "--nodes", "2", "--chain-length", "3", "--data", "target/never");
    assertThat(r.exit()).isNotZero();
    assertThat(r.err()).contains("chain length 3 must be between 1 and the node count 2");
  }

  @Test
  void malformedGcGraceIsAOneLineError() {
    Run r = run("cluster", "gc", "--grace", "soon");
    assertThat(r.exit()).isNotZero();
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("--grace: expected a number with unit ms, s, m or h");
    assertThat(ClusterCommand.Gc.parseGrace("30m")).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(ClusterCommand.Gc.parseGrace("2h")).isEqualTo(java.time.Duration.ofHours(2));
  }

  @Test
  void unknownOptionIsAUsageError() {
    Run r = run("put", "b/k", "f", "--bogus");
    assertThat(r.exit()).isNotZero();
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).startsWith("catena: Unknown option: '--bogus'");
    assertThat(r.err()).contains("Usage: catena put ").contains("Try 'catena put --help'");
  }

  @Test
  void bucketAndKeyParsing() {
    assertThat(ClientOptions.bucketAndKey("b/a/b/c", true)).containsExactly("b", "a/b/c");
    assertThat(ClientOptions.bucketAndKey("b", false)).containsExactly("b", "");
    assertThatThrownBy(() -> ClientOptions.bucketAndKey("b", true))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("BUCKET/KEY");
    assertThatThrownBy(() -> ClientOptions.bucketAndKey("/k", true))
        .isInstanceOf(CliException.class);
  }

  /** A status of one node n1 at h:1 (one head, one tail) with these storage figures. */
  private static dev.catena.deploy.zk.ClusterAdmin.Status oneNode(
      List<dev.catena.deploy.zk.ClusterAdmin.ChainStatus> chains) {
    return new dev.catena.deploy.zk.ClusterAdmin.Status(
        "c",
        List.of(
            new dev.catena.deploy.zk.ClusterAdmin.NodeStatus(
                "n1",
                true,
                "h:1",
                1,
                1,
                dev.catena.proto.v1.NodeStorageStats.newBuilder()
                    .setChunkBytes(300)
                    .setReclaimableBytes(100)
                    .setReclaimedBytes(50)
                    .setScrubChunksScanned(7)
                    .setScrubChunksBad(2)
                    .setScrubChunksRepaired(1)
                    .setScrubRecordsScanned(40)
                    .setScrubRecordsBad(3)
                    .build())),
        chains,
        1);
  }

  @Test
  void statusJsonIsMachineReadable() {
    var s =
        oneNode(
            List.of(
                new dev.catena.deploy.zk.ClusterAdmin.ChainStatus(
                    0, 3, List.of("n1"), List.of("n2"), List.of())));
    assertThat(ClusterCommand.StatusFormat.json(s))
        .isEqualTo(
            "{\"cluster\":\"c\",\"shardMapVersion\":1,\"nodes\":[{\"id\":\"n1\",\"live\":true,"
                + "\"address\":\"h:1\",\"heads\":1,\"tails\":1,\"chunkBytes\":300,"
                + "\"reclaimableBytes\":100,\"reclaimedBytes\":50,\"scrubChunksScanned\":7,"
                + "\"scrubChunksBad\":2,\"scrubChunksRepaired\":1,\"scrubRecordsScanned\":40,"
                + "\"scrubRecordsBad\":3}],\"chains\":[{\"chain\":0,"
                + "\"epoch\":3,\"members\":[\"n1\"],\"syncing\":[\"n2\"],\"sync\":[]}]}");
  }

  @Test
  void statusTextShowsScrubCounts() {
    var s = oneNode(List.of());
    String text = ClusterCommand.StatusFormat.text(s);
    assertThat(text).contains("SCRUBBED/BAD/REPAIRED").contains("RECORDS/BAD");
    assertThat(text.lines().filter(l -> l.startsWith("n1 ")).findFirst().orElseThrow())
        .contains(" 7/2/1 ")
        .endsWith(" 40/3");
  }

  @Test
  void statusJsonCarriesJoinProgressAndEscapes() {
    var p =
        new dev.catena.deploy.zk.ClusterAdmin.SyncProgress(
            2, "n\"4", 7, 10, 250, true, 40, 1000, 40, 1000, false, false, 3, false, 0);
    var s =
        new dev.catena.deploy.zk.ClusterAdmin.Status(
            "c",
            List.of(),
            List.of(
                new dev.catena.deploy.zk.ClusterAdmin.ChainStatus(
                    2, 7, List.of("n1"), List.of("n\"4"), List.of(p))),
            0);
    assertThat(ClusterCommand.StatusFormat.json(s))
        .isEqualTo(
            "{\"cluster\":\"c\",\"shardMapVersion\":0,\"nodes\":[],\"chains\":[{\"chain\":2,"
                + "\"epoch\":7,\"members\":[\"n1\"],\"syncing\":[\"n\\\"4\"],\"sync\":[{\"node\":"
                + "\"n\\\"4\",\"epoch\":7,\"keys\":10,\"bytes\":250,\"plannedKnown\":true,"
                + "\"plannedKeys\":40,\"plannedBytes\":1000,\"sourceKeys\":40,\"sourceBytes\":1000,"
                + "\"percent\":25.0,\"diff\":false,\"installed\":false,\"lagSeqs\":3,"
                + "\"caughtUp\":false}]}]}");
  }
}
