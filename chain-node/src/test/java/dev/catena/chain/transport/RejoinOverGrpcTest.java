package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.chain.runtime.BucketDigests;
import dev.catena.chain.runtime.SyncListener;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.PutObjectRequest;
import dev.catena.proto.v1.RequestId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rejoin after a restart over real gRPC and LevelDB (DESIGN.md §4 "Rejoin": the node re-registers
 * with its old data, is added as SYNCING, and resync sends only what differs). A wiped node joining
 * afterwards gets the full snapshot.
 */
class RejoinOverGrpcTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;

  /** What the SYNCING node reported: last (records, bytes) and caught-up per epoch. */
  private final Map<String, long[]> progress = new ConcurrentHashMap<>();

  private final Map<String, Long> caughtUp = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void listen(String node) {
    cluster
        .nodes
        .get(node)
        .runtime()
        .setSyncListener(
            new SyncListener() {
              @Override
              public void progress(int chainId, long epoch, long records, long bytes) {
                progress.put(node + "@" + epoch, new long[] {records, bytes});
              }

              @Override
              public void caughtUp(int chainId, long epoch, long lastSeq) {
                caughtUp.put(node + "@" + epoch, lastSeq);
              }
            });
  }

  private void put(long epoch, long seq, String key, String value) {
    var req =
        PutObjectRequest.newBuilder()
            .setChainId(0)
            .setEpoch(epoch)
            .setRequestId(RequestId.newBuilder().setClientId("c1").setRequestSeq(seq))
            .setManifest(
                ObjectManifest.newBuilder()
                    .setBucket("bkt")
                    .setKey(key)
                    .setVersionId("v" + seq)
                    .setInlineData(ByteString.copyFromUtf8(value)))
            .build();
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> cluster.stub("n1").putObject(req), r -> true);
  }

  /** Live records of chain 0 in the digested keyspace. */
  private Map<String, ByteString> contents(String node) {
    var out = new TreeMap<String, ByteString>();
    try (CloseableIterator<StoredEntry> it =
        cluster.nodes.get(node).meta().scan(0, new byte[0], null)) {
      while (it.hasNext()) {
        StoredEntry e = it.next();
        if (!e.value().tombstone() && BucketDigests.covers(e.key())) {
          out.put(
              new String(e.key(), StandardCharsets.UTF_8), ByteString.copyFrom(e.value().value()));
        }
      }
    }
    return out;
  }

  private static long recordsInDifferingBuckets(
      Map<String, ByteString> mine, Map<String, ByteString> tail) {
    var keys = new HashSet<>(mine.keySet());
    keys.addAll(tail.keySet());
    var buckets = new BitSet();
    for (String k : keys) {
      if (!Objects.equals(mine.get(k), tail.get(k))) {
        buckets.set(bucket(k));
      }
    }
    return tail.keySet().stream().filter(k -> buckets.get(bucket(k))).count();
  }

  private static int bucket(String key) {
    return BucketDigests.bucketOf(
        key.getBytes(StandardCharsets.UTF_8), BucketDigests.DEFAULT_BUCKETS);
  }

  @Test
  void restartedNodeReceivesOnlyTheDifferenceAndAWipedNodeEverything() {
    cluster = new LocalChainCluster(dir, 4);
    List<String> ab = List.of("n1", "n2");
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1", "n2", "n3"), List.of())));
    long seq = 0;
    for (int i = 0; i < 300; i++) {
      seq++;
      put(1, seq, "k" + i, "v" + seq);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> contents("n3").size() >= 301);
    // n3 stops with its data; the chain goes on without it and ~1% of the keys change.
    cluster.stop("n3");
    cluster.configure(List.of(LocalChainCluster.chain(0, 2, ab, List.of())));
    for (int i = 0; i < 3; i++) {
      seq++;
      put(2, seq, "k" + (i * 97), "changed" + seq);
    }
    cluster.start("n3");
    listen("n3");
    Map<String, ByteString> before = contents("n3");
    Map<String, ByteString> tail = contents("n2");
    long expected = recordsInDifferingBuckets(before, tail);

    cluster.configure(List.of(LocalChainCluster.chain(0, 3, ab, List.of("n3"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp.containsKey("n3@3"));

    assertThat(progress.get("n3@3")[0]).isEqualTo(expected).isPositive().isLessThan(30);
    assertThat(contents("n3")).isEqualTo(contents("n2"));

    // A node with an empty data directory joins after the new tail n3: a full snapshot.
    cluster.configure(List.of(LocalChainCluster.chain(0, 4, List.of("n1", "n2", "n3"), List.of())));
    listen("n4");
    cluster.configure(
        List.of(LocalChainCluster.chain(0, 5, List.of("n1", "n2", "n3"), List.of("n4"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp.containsKey("n4@5"));
    assertThat(progress.get("n4@5")[0]).isEqualTo(contents("n3").size());
    assertThat(contents("n4")).isEqualTo(contents("n3"));
  }
}
