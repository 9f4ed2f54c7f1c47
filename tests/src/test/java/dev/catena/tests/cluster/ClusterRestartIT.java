package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.CatenaClient;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.PutOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability across restarts (DESIGN §4 "Rejoin after restart", §5): every acknowledged object —
 * small inline ones and a chunked one — is still there, byte-exact, after one node or the whole
 * cluster (nodes, coordinator and ZooKeeper) is stopped and started again on the same data.
 */
class ClusterRestartIT {
  static final long LARGE = (12L << 20) + 12345;
  static final long LARGE_SEED = 77;

  @TempDir Path dir;

  @Test
  void wholeClusterRestartKeepsEveryObject() throws IOException {
    try (InProcessCluster cluster =
        InProcessCluster.builder().nodes(3).chainLength(3).managers(2).dataDir(dir).start()) {
      cluster.awaitReady();
      Map<String, byte[]> model;
      try (CatenaClient client = cluster.client()) {
        model = writeObjects(client, 1, 300);
      }
      cluster.restartAll();
      cluster.awaitReady();
      try (CatenaClient client = cluster.client()) {
        assertEveryObject(client, model);
        // The restarted cluster still takes writes on every chain.
        model.putAll(writeObjects(client, 2, 50));
        assertEveryObject(client, model);
      }
    }
  }

  @Test
  void restartedNodeRejoinsWithItsData() throws IOException {
    try (InProcessCluster cluster =
        InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start()) {
      cluster.awaitReady();
      try (CatenaClient client = cluster.client()) {
        Map<String, byte[]> model = writeObjects(client, 3, 200);
        cluster.stopNode("n2");
        assertThat(cluster.registeredNodes()).doesNotContain("n2");
        cluster.restartNode("n2");
        cluster.awaitReady();
        model.putAll(writeObjects(client, 4, 100));
        assertEveryObject(client, model);
      }
    }
  }

  /** Writes {@code n} small objects and one chunked object into bucket {@code bucket-<seed>}. */
  private static Map<String, byte[]> writeObjects(CatenaClient client, long seed, int n)
      throws IOException {
    String bucket = "bucket-" + seed;
    client.createBucket(bucket);
    var rnd = new SplittableRandom(seed);
    Map<String, byte[]> model = new LinkedHashMap<>();
    List<CompletableFuture<ObjectMetadata>> puts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] v = new byte[rnd.nextInt(1, 2048)];
      rnd.nextBytes(v);
      String key = "o" + i;
      model.put(bucket + "/" + key, v);
      puts.add(client.putObjectAsync(bucket, key, v, PutOptions.DEFAULT));
    }
    puts.forEach(CompletableFuture::join);
    try (InputStream in = new SeededStream(LARGE_SEED + seed, LARGE)) {
      ObjectMetadata m = client.putObject(bucket, "large", in, LARGE, PutOptions.DEFAULT);
      assertThat(m.chunkCount()).isGreaterThan(1);
    }
    return model;
  }

  private static void assertEveryObject(CatenaClient client, Map<String, byte[]> model)
      throws IOException {
    var buckets = new TreeSet<String>();
    for (var e : model.entrySet()) {
      int slash = e.getKey().indexOf('/');
      String bucket = e.getKey().substring(0, slash);
      buckets.add(bucket);
      try (ObjectContent c = client.getObject(bucket, e.getKey().substring(slash + 1))) {
        assertThat(c.readAllBytes()).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
    for (String bucket : buckets) {
      long seed = Long.parseLong(bucket.substring("bucket-".length()));
      try (ObjectContent c = client.getObject(bucket, "large");
          InputStream expected = new SeededStream(LARGE_SEED + seed, LARGE)) {
        assertThat(StreamCompare.firstDifference(c.stream(), expected))
            .as(bucket + "/large")
            .isEqualTo(-1);
      }
    }
  }
}
