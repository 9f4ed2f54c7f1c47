package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.client.CatenaClient;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ShardMap;
import dev.catena.tests.check.CheckSummary;
import dev.catena.tests.check.HistoryCheck;
import dev.catena.tests.check.Workload;
import dev.catena.tests.history.HistoryRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fail-stop on storage errors: a node whose disk fails under load leaves its chains, the
 * coordinator replaces it, writes resume within two session timeouts, and nothing acknowledged is
 * lost (checked on the recorded history). Before the fix the node was only fenced, the next
 * configuration delivery unfenced it, its registration stayed, and its chains stalled for good.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StorageFailureIT {
  private static final Duration SESSION = Duration.ofSeconds(4);
  private static final String BUCKET = "disk";
  private static final int KEYS = 16;

  @TempDir Path dir;

  @Test
  void aNodeWhoseDiskFailsLeavesItsChainsAndWritesResume() throws Exception {
    var failing = new AtomicReference<FailingObjectStore>();
    var recorder = new HistoryRecorder();
    try (InProcessCluster cluster =
        InProcessCluster.builder()
            .nodes(4)
            .chainLength(3)
            .sessionTimeout(SESSION)
            .dataDir(dir)
            .wrapMetadata(
                (id, store) -> {
                  if (!id.equals("n2")) {
                    return store;
                  }
                  var f = new FailingObjectStore(store);
                  failing.set(f);
                  return f;
                })
            .start()) {
      cluster.awaitReady();
      try (CatenaClient client =
          cluster.clientBuilder().requestTimeout(Duration.ofSeconds(20)).build()) {
        client.createBucket(BUCKET);
        Workload load = Workload.start(client, recorder, BUCKET, 4, KEYS, new SplittableRandom(21));
        await().atMost(Duration.ofSeconds(60)).until(() -> load.completedOps() >= 300);
        assertThat(chainsListing(cluster, "n2")).isNotEmpty();

        failing.get().failAfter(0); // the disk of n2 dies under load
        long failedAt = System.nanoTime();

        // The node leaves at once, and every chain is writable again without it.
        await("n2 cut out of every chain")
            .atMost(SESSION.multipliedBy(2))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    !cluster.registeredNodes().contains("n2")
                        && chainsListing(cluster, "n2").isEmpty());
        ShardMap map = cluster.shardMap().orElseThrow();
        for (int chain : new TreeSet<>(map.getChainIdsList())) {
          String key = InProcessCluster.probeKeyFor(map, chain);
          client.putObject(
              InProcessCluster.PROBE_BUCKET, key, "after".getBytes(StandardCharsets.UTF_8));
        }
        Duration resumed = Duration.ofNanos(System.nanoTime() - failedAt);
        assertThat(resumed).as("writes resumed on every chain").isLessThan(SESSION.multipliedBy(2));

        long before = load.completedOps();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.completedOps() >= before + 300);
        load.stop();
        load.awaitDone(Duration.ofSeconds(60));

        assertThat(failing.get().failedMutations()).as("the disk really failed").isPositive();
        assertThat(cluster.node("n2").runtime().storageFailure()).isPresent();
        assertThat(cluster.node("n2").runtime().status())
            .as("a failed node serves nothing")
            .allMatch(r -> r.fenced());

        var finalReads = Workload.finalReads(client, recorder, BUCKET, KEYS);
        CheckSummary summary =
            HistoryCheck.check(
                recorder.history(),
                finalReads,
                Workload.keyNames(KEYS),
                true,
                Duration.ofSeconds(60));
        assertThat(summary.lostAcked()).as("acknowledged writes lost").isEmpty();
        assertThat(summary.passed()).as(summary.line()).isTrue();
      }
    }
  }

  private static List<Integer> chainsListing(InProcessCluster cluster, String node) {
    return cluster.chains().values().stream()
        .filter(c -> c.getMembersList().stream().anyMatch(m -> m.getNodeId().equals(node)))
        .map(ChainConfig::getChainId)
        .toList();
  }
}
