package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.GetObjectRequest;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.PutObjectRequest;
import dev.catena.proto.v1.RequestId;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real nodes, three rotated chains, real gRPC streams and real LevelDB. */
class ChainOverGrpcTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;
  private List<ChainConfig> chains;

  @BeforeEach
  void start() {
    cluster = new LocalChainCluster(dir, 3);
    chains = cluster.rotated(3, 1);
    cluster.configure(chains);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private ObjectServiceGrpc.ObjectServiceBlockingStub stub(String node) {
    return cluster.stub(node);
  }

  private PutObjectRequest put(int chain, long seq, String key, String value) {
    return PutObjectRequest.newBuilder()
        .setChainId(chain)
        .setEpoch(1)
        .setRequestId(RequestId.newBuilder().setClientId("c1").setRequestSeq(seq))
        .setManifest(
            ObjectManifest.newBuilder()
                .setBucket("bkt")
                .setKey(key)
                .setVersionId("v" + seq)
                .setInlineData(ByteString.copyFromUtf8(value)))
        .build();
  }

  private GetObjectRequest get(int chain, String key) {
    return GetObjectRequest.newBuilder()
        .setChainId(chain)
        .setEpoch(1)
        .setBucket("bkt")
        .setKey(key)
        .build();
  }

  @Test
  void writeAtHeadIsReadAtTailOfEveryChain() {
    for (ChainConfig c : chains) {
      String head = c.getMembers(0).getNodeId();
      String tail = c.getMembers(2).getNodeId();
      long seq = 100 + c.getChainId();
      // The first write may race the streams' handshake; the head answers once committed.
      var result =
          await()
              .atMost(Duration.ofSeconds(20))
              .ignoreExceptions()
              .until(() -> stub(head).putObject(put(c.getChainId(), seq, "k", "hello")), r -> true);
      assertThat(result.getResult().getOk()).isTrue();
      var got = stub(tail).getObject(get(c.getChainId(), "k"));
      assertThat(got.getManifest().getInlineData().toStringUtf8()).isEqualTo("hello");
      assertThat(got.getManifest().getChainSeq()).isEqualTo(result.getResult().getSeq());
    }
  }

  @Test
  void readAtHeadIsRefusedWithNotTail() {
    String head = chains.get(0).getMembers(0).getNodeId();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> stub(head).getObject(get(0, "k")))
                    .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                            assertThat(GrpcErrors.fromThrowable(e).orElseThrow().getCode())
                                .isEqualTo(ErrorCode.NOT_TAIL)));
  }

  @Test
  void oversizedKeyIsRefusedWithTypedError() {
    String head = chains.get(0).getMembers(0).getNodeId();
    assertThatThrownBy(() -> stub(head).putObject(put(0, 1, "x".repeat(1025), "v")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(GrpcErrors.fromThrowable(e).orElseThrow().getCode())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }
}
