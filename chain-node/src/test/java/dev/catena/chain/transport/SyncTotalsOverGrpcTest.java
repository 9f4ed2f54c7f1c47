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
import dev.catena.proto.v1.SnapshotTotals;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real gRPC and LevelDB (DESIGN.md §4 "Add a tail": progress in keys, bytes and lag is
 * visible): the totals a snapshot stream announces are exactly what the joiner then installs, for a
 * full snapshot (a wiped node) and for a diff resync (a restarted node, §4 "Rejoin"); the lag
 * reaches 0 by caught up and the join's end is reported once the node is promoted.
 */
class SyncTotalsOverGrpcTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;

  /** Everything one node's runtime told its sync listener, keyed by epoch where it has one. */
  private static final class Recorded implements SyncListener {
    final Map<Long, Object[]> planned = new ConcurrentHashMap<>();
    final Map<Long, long[]> installed = new ConcurrentHashMap<>();
    final Map<Long, Long> caughtUp = new ConcurrentHashMap<>();
    final List<long[]> lags = new CopyOnWriteArrayList<>();
    final List<Integer> ended = new CopyOnWriteArrayList<>();

    @Override
    public void progress(int chainId, long epoch, long records, long bytes) {}

    @Override
    public void caughtUp(int chainId, long epoch, long lastSeq) {
      caughtUp.put(epoch, lastSeq);
    }

    @Override
    public void planned(int chainId, long epoch, SnapshotTotals totals, boolean diff) {
      planned.put(epoch, new Object[] {totals, diff});
    }

    @Override
    public void installed(int chainId, long epoch, long records, long bytes) {
      installed.put(epoch, new long[] {records, bytes});
    }

    @Override
    public void lag(int chainId, long epoch, long lagSeqs) {
      lags.add(new long[] {epoch, lagSeqs});
    }

    @Override
    public void ended(int chainId) {
      ended.add(chainId);
    }

    SnapshotTotals totals(long epoch) {
      return (SnapshotTotals) planned.get(epoch)[0];
    }

    boolean diff(long epoch) {
      return (Boolean) planned.get(epoch)[1];
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Recorded listen(String node) {
    var r = new Recorded();
    cluster.nodes.get(node).runtime().setSyncListener(r);
    return r;
  }

  private void put(long epoch, long seq, String key, int size) {
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
                    .setInlineData(ByteString.copyFromUtf8("x".repeat(size))))
            .build();
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> cluster.stub("n1").putObject(req), r -> true);
  }

  /** Live records of chain 0 in the digested keyspace and their bytes (no chunks here). */
  private long[] held(String node) {
    long records = 0;
    long bytes = 0;
    try (CloseableIterator<StoredEntry> it =
        cluster.nodes.get(node).meta().scan(0, new byte[0], null)) {
      while (it.hasNext()) {
        StoredEntry e = it.next();
        if (!e.value().tombstone() && BucketDigests.covers(e.key())) {
          records++;
          bytes += e.key().length + e.value().value().length;
        }
      }
    }
    return new long[] {records, bytes};
  }

  @Test
  void plannedTotalsAreWhatIsInstalledForAFullSnapshotAndForADiffResync() {
    cluster = new LocalChainCluster(dir, 4);
    List<String> ab = List.of("n1", "n2");
    List<String> abc = List.of("n1", "n2", "n3");
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, ab, List.of())));
    long seq = 0;
    for (int i = 0; i < 400; i++) {
      seq++;
      put(1, seq, "k" + i, 200 + (i % 17) * 50);
    }

    // n3 holds nothing: a full snapshot from the tail n2.
    Recorded n3 = listen("n3");
    cluster.configure(List.of(LocalChainCluster.chain(0, 2, ab, List.of("n3"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> n3.caughtUp.containsKey(2L));
    long[] tail = held("n2");
    SnapshotTotals full = n3.totals(2);
    assertThat(n3.diff(2)).isFalse();
    assertThat(full.getRecords()).isEqualTo(tail[0]).isEqualTo(full.getSourceRecords());
    assertThat(full.getBytes()).isEqualTo(tail[1]).isEqualTo(full.getSourceBytes());
    assertThat(n3.installed.get(2L)).containsExactly(full.getRecords(), full.getBytes());
    assertThat(held("n3")).containsExactly(tail);
    assertThat(n3.lags.get(n3.lags.size() - 1)).containsExactly(2, 0);

    cluster.configure(List.of(LocalChainCluster.chain(0, 3, abc, List.of())));
    await().atMost(Duration.ofSeconds(10)).until(() -> n3.ended.contains(0));

    // n3 stops with its data, the chain goes on and a few keys change: a diff resync.
    cluster.stop("n3");
    cluster.configure(List.of(LocalChainCluster.chain(0, 4, ab, List.of())));
    for (int i = 0; i < 4; i++) {
      seq++;
      put(4, seq, "k" + (i * 89), 999);
    }
    cluster.start("n3");
    Recorded again = listen("n3");
    cluster.configure(List.of(LocalChainCluster.chain(0, 5, ab, List.of("n3"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> again.caughtUp.containsKey(5L));
    tail = held("n2");
    SnapshotTotals diff = again.totals(5);
    assertThat(again.diff(5)).isTrue();
    assertThat(again.installed.get(5L)).containsExactly(diff.getRecords(), diff.getBytes());
    assertThat(diff.getSourceRecords()).isEqualTo(tail[0]);
    assertThat(diff.getSourceBytes()).isEqualTo(tail[1]);
    assertThat(diff.getRecords()).isPositive().isLessThan(tail[0] / 10);
    assertThat(diff.getBytes()).isPositive().isLessThan(tail[1] / 10);
    assertThat(held("n3")).containsExactly(tail);
  }
}
