package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.chain.runtime.SyncListener;
import dev.catena.proto.v1.GetObjectRequest;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.PutObjectRequest;
import dev.catena.proto.v1.RequestId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a tail over real gRPC and LevelDB (CR §3, DESIGN.md §4 "Add a tail"): the joiner gets a
 * streamed snapshot while writes continue, reports caught-up, is promoted, and then serves every
 * acknowledged write.
 */
class JoinOverGrpcTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ObjectServiceGrpc.ObjectServiceBlockingStub stub(String node) {
    return cluster.stub(node);
  }

  private static PutObjectRequest put(long epoch, long seq, String key, String value) {
    return PutObjectRequest.newBuilder()
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
  }

  /** Retries a call (same request id) until it succeeds, polling fast. */
  private static <T> T retrying(java.util.concurrent.Callable<T> call) {
    return await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(call, r -> true);
  }

  private void uploadChunk(String node, String chunkId, byte[] data, long requestSeq)
      throws Exception {
    var status = cluster.uploadChunk(node, requestSeq, chunkId, data);
    if (!status.isOk()) {
      throw status.asException();
    }
  }

  @Test
  void joinerCatchesUpUnderWritesAndIsPromoted() throws Exception {
    cluster = new LocalChainCluster(dir, 4);
    var caughtUp = new ConcurrentHashMap<Long, Long>();
    cluster
        .nodes
        .get("n4")
        .runtime()
        .setSyncListener(
            new SyncListener() {
              @Override
              public void progress(int chainId, long epoch, long records, long bytes) {}

              @Override
              public void caughtUp(int chainId, long epoch, long lastSeq) {
                caughtUp.put(epoch, lastSeq);
              }
            });
    List<String> abc = List.of("n1", "n2", "n3");
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, abc, List.of())));
    var epoch = new AtomicLong(1);
    long seq = 0;
    for (int i = 0; i < 200; i++) {
      long s = ++seq;
      retrying(() -> stub("n1").putObject(put(1, s, "k" + (s % 50), "v" + s)));
    }
    // A chunk stored before the join must travel in the snapshot.
    byte[] chunk = new byte[(1 << 20) + 17];
    new java.util.SplittableRandom(7).nextBytes(chunk);
    uploadChunk("n1", "ver-1/0", chunk, ++seq);
    // Writes continue on another thread while n4 joins.
    var stop = new AtomicBoolean();
    var acked = new ConcurrentHashMap<String, String>();
    var writer =
        new Thread(
            () -> {
              for (long s = 1000; s < 3000 && !stop.get(); s++) {
                long mySeq = s;
                String value = "w" + s;
                retrying(
                    () -> stub("n1").putObject(put(epoch.get(), mySeq, "k" + (mySeq % 50), value)));
                acked.put("k" + (mySeq % 50), value);
              }
            });
    writer.start();
    epoch.set(2);
    cluster.configure(List.of(LocalChainCluster.chain(0, 2, abc, List.of("n4"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp.containsKey(2L));
    epoch.set(3);
    cluster.configure(
        List.of(LocalChainCluster.chain(0, 3, List.of("n1", "n2", "n3", "n4"), List.of())));
    await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() == 50);
    stop.set(true);
    writer.join(60_000);
    var downloaded = new java.io.ByteArrayOutputStream();
    cluster
        .stub("n4")
        .downloadChunk(
            dev.catena.proto.v1.DownloadChunkRequest.newBuilder()
                .setChainId(0)
                .setEpoch(3)
                .setChunkId("ver-1/0")
                .build())
        .forEachRemaining(piece -> downloaded.writeBytes(piece.getData().toByteArray()));
    assertThat(downloaded.toByteArray()).isEqualTo(chunk);
    // Every acknowledged value is what the new tail serves.
    for (var e : acked.entrySet()) {
      var got =
          stub("n4")
              .getObject(
                  GetObjectRequest.newBuilder()
                      .setChainId(0)
                      .setEpoch(3)
                      .setBucket("bkt")
                      .setKey(e.getKey())
                      .build());
      assertThat(got.getManifest().getInlineData().toStringUtf8()).isEqualTo(e.getValue());
    }
  }
}
