package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.client.CatenaClient;
import dev.catena.tests.check.CheckSummary;
import dev.catena.tests.check.FaultCluster;
import dev.catena.tests.check.HistoryCheck;
import dev.catena.tests.check.Workload;
import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One real-process cluster under a continuous workload for a failure-recovery IT: start, let the
 * clients run, inject a fault (the test does that through {@link #cluster()}), then {@link
 * #finishAndCheck()} stops the clients, heals, waits for recovery, reads every key and checks the
 * history (linearizable, no lost acknowledged write). Artifacts go to {@code target/faults/<name>}.
 */
final class FaultHarness implements AutoCloseable {
  static final String BUCKET = "faults";
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  private static final int CLIENTS = 4;
  private static final int KEYS = 8;

  private final String name;
  private final FaultCluster cluster;
  private final CatenaClient client;
  private final HistoryRecorder recorder = new HistoryRecorder();
  private final Workload workload;

  private FaultHarness(String name, FaultCluster cluster, long seed) {
    this.name = name;
    this.cluster = cluster;
    this.client =
        CatenaClient.builder()
            .zookeeper(cluster.zookeeper())
            .cluster(FaultCluster.CLUSTER)
            .requestTimeout(Duration.ofSeconds(20))
            .build();
    client.createBucket(BUCKET);
    this.workload =
        Workload.start(client, recorder, BUCKET, CLIENTS, KEYS, new SplittableRandom(seed));
  }

  static FaultHarness start(String name, int nodes, int chainLength, long seed)
      throws InterruptedException {
    Path dir = Path.of("target", "faults", name).toAbsolutePath();
    deleteRecursively(dir); // a cluster directory left by an earlier run would be restarted
    var cluster =
        FaultCluster.start(
            dir.resolve("cluster"),
            nodes,
            chainLength,
            SESSION_TIMEOUT,
            new SplittableRandom(seed));
    try {
      return new FaultHarness(name, cluster, seed);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  FaultCluster cluster() {
    return cluster;
  }

  /**
   * Writes {@code objects} objects of {@code size} bytes under keys {@code pre-<i>}, outside the
   * workload's keys (so they are not part of the checked history): data a node holds that the
   * workload does not touch.
   */
  void preload(int objects, int size) {
    byte[] value = new byte[size];
    new SplittableRandom(size).nextBytes(value);
    for (int i = 0; i < objects; i++) {
      client.putObject(BUCKET, "pre-" + i, value);
    }
  }

  /** Waits until the clients have completed {@code n} more operations. */
  void awaitMoreOps(int n) {
    long target = workload.completedOps() + n;
    await("" + n + " more client operations")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> workload.completedOps() >= target);
  }

  /**
   * Stops the clients, heals, waits until every chain is full and ACTIVE, reads every key and
   * checks the history; asserts it passed and returns the summary.
   */
  CheckSummary finishAndCheck() throws InterruptedException, IOException {
    workload.stop();
    workload.awaitDone(Duration.ofSeconds(60));
    cluster.heal();
    cluster.awaitHealthy(Duration.ofSeconds(90));
    var finals = Workload.finalReads(client, recorder, BUCKET, KEYS);
    History history = recorder.history();
    CheckSummary summary =
        HistoryCheck.check(history, finals, Workload.keyNames(KEYS), true, Duration.ofSeconds(60));
    Path dir = Path.of("target", "faults", name);
    HistoryCheck.writeArtifacts(dir, history, summary, name, List.of());
    System.out.println(name + ": " + summary.line());
    assertThat(summary.ok()).as("acknowledged operations").isGreaterThan(100);
    assertThat(summary.passed())
        .as("%s: %s (see %s/report.txt)%n%s", name, summary.line(), dir, summary.result().report())
        .isTrue();
    return summary;
  }

  @Override
  public void close() throws IOException {
    workload.stop();
    client.close();
    cluster.close();
  }
}
