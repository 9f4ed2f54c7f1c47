package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.client.CatenaClient;
import dev.catena.client.GarbageReport;
import dev.catena.client.ObjectContent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lazy garbage collection end to end (DESIGN §2): chunks of overwritten and deleted objects are
 * deleted through their chains and the nodes' background compaction gives their space back, while a
 * put in flight during collection keeps every chunk it needs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GarbageCollectionIT {
  private static final int SIZE = 8 << 20; // two 4 MiB chunks
  private static final int CYCLES = 20;
  private static final Duration GRACE = Duration.ofSeconds(3);

  @TempDir Path dir;

  private static byte[] data(long seed) {
    byte[] b = new byte[SIZE];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static byte[] read(CatenaClient c, String key) throws Exception {
    try (ObjectContent content = c.getObject("gc-test", key)) {
      return content.readAllBytes();
    }
  }

  @Test
  void overwrittenAndDeletedObjectsGiveTheirSpaceBack() throws Exception {
    try (InProcessCluster cluster =
        InProcessCluster.builder()
            .nodes(3)
            .chainLength(3)
            .segmentBytes(1 << 20)
            .compactionInterval(Duration.ofMillis(300))
            .dataDir(dir)
            .start()) {
      cluster.awaitReady();
      try (CatenaClient client = cluster.client()) {
        client.createBucket("gc-test");
        for (int i = 1; i <= CYCLES; i++) {
          client.putObject("gc-test", "big", data(i));
          if (i % 4 == 0 && i < CYCLES) {
            client.deleteObject("gc-test", "big");
          }
        }
        long written = (long) CYCLES * SIZE;
        assertThat(diskPerNode(cluster)).allMatch(b -> b >= written);

        // A put in flight while collection runs: its chunks are younger than the grace period.
        byte[] inflight = data(1000);
        CompletableFuture<Void> put =
            CompletableFuture.runAsync(() -> client.putObject("gc-test", "inflight", inflight));
        List<GarbageReport> reports = new ArrayList<>();
        long live = 2L * SIZE; // "big" and "inflight", on every node (chains of 3 on 3 nodes)
        await("disk use back to one copy of the live objects")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  reports.add(client.collectGarbage(GRACE));
                  return put.isDone()
                      && diskPerNode(cluster).stream().allMatch(b -> b <= live * 11 / 10);
                });
        put.join();
        System.out.printf(
            "GarbageCollectionIT: chunk bytes per node %s after %d MiB written, live %d MiB;"
                + " %d passes%n",
            diskPerNode(cluster), written >> 20, live >> 20, reports.size());

        assertThat(reports.stream().mapToLong(GarbageReport::chunksDeleted).sum())
            .as("chunks of the %d overwritten or deleted versions", CYCLES - 1)
            .isEqualTo((CYCLES - 1) * 2L);
        assertThat(read(client, "big")).isEqualTo(data(CYCLES));
        assertThat(read(client, "inflight")).isEqualTo(inflight);
        assertThat(cluster.node("n1").compaction().bytesReclaimed()).isPositive();
        // cluster status shows what compaction gave back on every node.
        try (var admin =
            dev.catena.deploy.zk.ClusterAdmin.connect(
                cluster.connectString(), cluster.clusterName())) {
          await("reclaimed bytes in cluster status")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      admin.status(cluster.clusterName()).nodes().stream()
                          .allMatch(n -> n.storage().getReclaimedBytes() > 0));
        }
        // Nothing left to collect: another pass deletes nothing.
        assertThat(client.collectGarbage(Duration.ZERO).chunksDeleted()).isZero();
      }
    }
  }

  private static List<Long> diskPerNode(InProcessCluster cluster) {
    return cluster.nodeIds().stream().map(id -> cluster.node(id).chunkDiskBytes()).toList();
  }
}
