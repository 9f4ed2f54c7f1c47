package dev.catena.tests.frangipani;

import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.ObjectSummary;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.zk.FrangipaniMount;
import dev.catena.tests.cluster.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.KillSession;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the namespace tests share: one in-process Catena cluster per test class (ZooKeeper,
 * coordinator, 3 storage nodes with LevelDB and gRPC on localhost, chains of 3), a client, and
 * mounting a clerk with a bounded wait.
 */
abstract class FrangipaniClusterTest {
  @TempDir static Path dir;
  static InProcessCluster cluster;
  static CatenaClient client;

  @BeforeAll
  static void startCluster() {
    cluster = InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start();
    cluster.awaitReady();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Mounts {@code bucket} as a new clerk with a 20 s lease, within 60 s. */
  static FrangipaniMount mount(String bucket, long seed) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return FrangipaniMount.open(
                    cluster.connectString(),
                    cluster.clusterName(),
                    client,
                    bucket,
                    Duration.ofSeconds(20),
                    new SplittableRandom(seed));
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            })
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
  }

  /** Expires the clerk's ZooKeeper session and waits until the clerk refuses every call. */
  static void killSessionAndAwaitLeaseLost(FrangipaniMount m) throws Exception {
    KillSession.kill(m.session().getZookeeperClient().getZooKeeper());
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                Assertions.assertThatThrownBy(() -> m.fs().list("/"))
                    .isInstanceOf(LeaseLostException.class));
  }

  /** The keys of {@code bucket} under {@code prefix} (first page). */
  static List<String> keys(String bucket, String prefix) {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).objects().stream()
        .map(ObjectSummary::key)
        .toList();
  }
}
