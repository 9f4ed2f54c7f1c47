package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.GetObjectRequest;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.PutObjectRequest;
import dev.catena.proto.v1.RequestId;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing at the storage (DESIGN §7): the chain head refuses a write under a lock whose token is
 * lower than the highest it has seen for the lock's scope, and the high-water mark is replicated
 * with the writes, so a new head after a failover refuses the same stale token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FencingOverGrpcTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static PutObjectRequest put(long epoch, long seq, String value, long token) {
    return PutObjectRequest.newBuilder()
        .setChainId(0)
        .setEpoch(epoch)
        .setRequestId(RequestId.newBuilder().setClientId("clerk").setRequestSeq(seq))
        .setManifest(
            ObjectManifest.newBuilder()
                .setBucket("fs-meta")
                .setKey("inode-1")
                .setVersionId("v" + seq)
                .setInlineData(ByteString.copyFromUtf8(value)))
        .setFencingScope("lock/inode-1")
        .setFencingToken(token)
        .build();
  }

  private ErrorCode refusal(String node, PutObjectRequest req) {
    try {
      cluster.stub(node).putObject(req);
      return ErrorCode.ERROR_CODE_UNSPECIFIED;
    } catch (StatusRuntimeException e) {
      return GrpcErrors.fromThrowable(e).orElseThrow().getCode();
    }
  }

  private String value(String tail, long epoch) {
    return cluster
        .stub(tail)
        .getObject(
            GetObjectRequest.newBuilder()
                .setChainId(0)
                .setEpoch(epoch)
                .setBucket("fs-meta")
                .setKey("inode-1")
                .build())
        .getManifest()
        .getInlineData()
        .toStringUtf8();
  }

  @Test
  void aStaleTokenIsRefusedAtTheHeadAndAfterAHeadFailover() {
    cluster = new LocalChainCluster(dir, 3);
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1", "n2", "n3"), List.of())));
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> cluster.stub("n1").putObject(put(1, 1, "by holder 5", 5)), r -> true);

    assertThat(refusal("n1", put(1, 2, "paused clerk", 3))).isEqualTo(ErrorCode.STALE_TOKEN);
    assertThat(cluster.stub("n1").putObject(put(1, 3, "by holder 7", 7)).getResult().getOk())
        .isTrue();
    assertThat(refusal("n1", put(1, 4, "holder 5 wakes up", 5))).isEqualTo(ErrorCode.STALE_TOKEN);
    assertThat(value("n3", 1)).isEqualTo("by holder 7");

    // The head fails: its successor becomes head and knows the mark from the replicated writes.
    cluster.stop("n1");
    cluster.configure(List.of(LocalChainCluster.chain(0, 2, List.of("n2", "n3"), List.of())));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> refusal("n2", put(2, 5, "holder 5 after failover", 5)) == ErrorCode.STALE_TOKEN);
    assertThat(cluster.stub("n2").putObject(put(2, 6, "by holder 9", 9)).getResult().getOk())
        .isTrue();
    assertThat(value("n3", 2)).isEqualTo("by holder 9");
  }
}
