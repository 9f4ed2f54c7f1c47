package dev.catena.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.ObjectContent;
import dev.catena.client.impl.ChainCalls;
import dev.catena.client.impl.DefaultCatenaClient;
import dev.catena.client.zk.ClusterView;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.WriteResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN §4 invariant 8 (exactly-once) and invariant 6 (epoch fencing) seen from the client. */
class ExactlyOnceIT {
  @TempDir static Path dir;
  static LocalCatenaCluster cluster;
  static ClusterView view;
  static DefaultCatenaClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = new LocalCatenaCluster(dir, 3, 3, 16);
    view = cluster.openView();
    client =
        (DefaultCatenaClient)
            CatenaClient.builder().clusterView(view).requestTimeout(Duration.ofSeconds(20)).build();
    client.createBucket("once");
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (view != null) {
      view.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ObjectManifest manifest(String key, String value, String version) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    return ObjectManifest.newBuilder()
        .setBucket("once")
        .setKey(key)
        .setVersionId(version)
        .setSize(b.length)
        .setInlineData(ByteString.copyFrom(b))
        .build();
  }

  private static String read(String key) throws Exception {
    try (ObjectContent c = client.getObject("once", key)) {
      return new String(c.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aReplayedRequestIdIsAppliedOnce() throws Exception {
    ChainCalls calls = client.calls();
    long seq = calls.ids().begin();
    WriteResult first =
        calls
            .writeWithSeq("put", calls.putManifestAttempt(manifest("k", "first", "v1"), seq))
            .join();
    // Same request id, different payload: the chain answers with the stored result, applies
    // nothing.
    WriteResult again =
        calls
            .writeWithSeq("put", calls.putManifestAttempt(manifest("k", "second", "v2"), seq))
            .join();
    calls.ids().finish(seq);
    assertThat(again).isEqualTo(first);
    assertThat(again.getVersionId()).isEqualTo("v1");
    assertThat(read("k")).isEqualTo("first");
    assertThat(client.headObject("once", "k").versionId()).isEqualTo("v1");

    // Two concurrent sends of one id: one write, both see its result.
    long seq2 = calls.ids().begin();
    CompletableFuture<WriteResult> a =
        calls.writeWithSeq("put", calls.putManifestAttempt(manifest("k2", "a", "va"), seq2));
    CompletableFuture<WriteResult> b =
        calls.writeWithSeq("put", calls.putManifestAttempt(manifest("k2", "a", "va"), seq2));
    assertThat(a.join()).isEqualTo(b.join());
    calls.ids().finish(seq2);
    // A later write of the key gets a later chain seq: the replay did not create extra writes.
    WriteResult later = calls.putManifest(manifest("k2", "b", "vb")).join();
    assertThat(later.getSeq()).isEqualTo(a.join().getSeq() + 1);
    assertThat(calls.ids().outstandingCount()).isZero();
  }

  @Test
  void writesContinueAcrossAnEpochChange() throws Exception {
    client.putObject("once", "before", "x".getBytes(StandardCharsets.UTF_8));
    var next = cluster.rotated(3, cluster.chains().get(0).getEpoch() + 1);
    // The view learns the new epoch first: requests are refused with WRONG_EPOCH by nodes that
    // still have the old one, and succeed once the nodes are configured.
    cluster.publish(next);
    long epoch = next.get(0).getEpoch();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> view.snapshot().route(0).map(r -> r.epoch() == epoch).orElse(false));
    CompletableFuture<?> put =
        client.putObjectAsync(
            "once",
            "after",
            "y".getBytes(StandardCharsets.UTF_8),
            dev.catena.client.PutOptions.DEFAULT);
    cluster.applyOnNodes(next);
    put.join();
    assertThat(read("after")).isEqualTo("y");
    assertThat(read("before")).isEqualTo("x");
    for (ChainConfig c : next) {
      assertThat(view.snapshot().route(c.getChainId()).orElseThrow().epoch())
          .isEqualTo(c.getEpoch());
    }
    assertThat(client.listObjects("once", ListOptions.prefix("after")).objects()).hasSize(1);
  }
}
