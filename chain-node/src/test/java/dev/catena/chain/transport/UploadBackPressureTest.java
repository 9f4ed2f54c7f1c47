package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.RequestId;
import dev.catena.proto.v1.UploadChunkRequest;
import dev.catena.proto.v1.UploadChunkResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk uploads over real gRPC beyond the node's upload budget: the node answers {@code OVERLOADED}
 * at once instead of buffering, the reservation of an upload is given back when its client goes
 * away or its reply is sent, and the refused upload then succeeds on retry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadBackPressureTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    cluster.close();
  }

  @Test
  void anUploadBeyondTheBudgetIsRefusedAsOverloadedAndSucceedsOnceRoomIsMade() throws Exception {
    cluster = new LocalChainCluster(dir, 0);
    cluster.uploadBudgetBytes = 4 << 20;
    cluster.start("n1");
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1"), List.of())));
    UploadBudget budget = cluster.nodes.get("n1").server().uploads();
    var info = cluster.infos.get("n1");
    channel = NettyChannelBuilder.forAddress(info.getHost(), info.getPort()).usePlaintext().build();

    // An upload declaring the whole budget sends its first piece and then stalls.
    var stalledReply = new CompletableFuture<Void>();
    var stalled =
        (ClientCallStreamObserver<UploadChunkRequest>)
            ObjectServiceGrpc.newStub(channel).uploadChunk(observer(stalledReply));
    stalled.onNext(
        header(1, "big/0", budget.capacityBytes())
            .setData(ByteString.copyFrom(new byte[1024]))
            .build());
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.reservedBytes() > 0);
    assertThat(budget.reservedBytes()).isEqualTo(budget.capacityBytes());

    // Another upload does not fit: refused at once, typed, nothing stored.
    var refusedReply = new CompletableFuture<Void>();
    StreamObserver<UploadChunkRequest> small =
        ObjectServiceGrpc.newStub(channel).uploadChunk(observer(refusedReply));
    small.onNext(
        header(2, "small/0", 3).setData(ByteString.copyFrom(new byte[] {1, 2, 3})).build());
    small.onCompleted();
    Throwable refused =
        assertThatThrownBy(() -> refusedReply.get(20, TimeUnit.SECONDS)).actual().getCause();
    assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Status.fromThrowable(refused).getDescription()).contains("chunk uploads in flight");
    assertThat(GrpcErrors.fromThrowable(refused).orElseThrow().getCode())
        .isEqualTo(ErrorCode.OVERLOADED);
    assertThat(cluster.nodes.get("n1").store().chunkLength("small/0")).isEmpty();

    // The stalled client goes away: its reservation is given back, and the retry is stored.
    stalled.cancel("client gone", null);
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.reservedBytes() == 0);
    assertThat(cluster.uploadChunk("n1", 2, "small/0", new byte[] {1, 2, 3}).getCode())
        .isEqualTo(Status.Code.OK);
    assertThat(cluster.nodes.get("n1").store().chunkLength("small/0")).hasValue(3);
    // A stored upload gives its reservation back too.
    assertThat(budget.reservedBytes()).isZero();
  }

  private static UploadChunkRequest.Builder header(long requestSeq, String chunkId, long length) {
    return UploadChunkRequest.newBuilder()
        .setChainId(0)
        .setEpoch(1)
        .setRequestId(RequestId.newBuilder().setClientId("c2").setRequestSeq(requestSeq))
        .setChunkId(chunkId)
        .setLength(length);
  }

  private static StreamObserver<UploadChunkResponse> observer(CompletableFuture<Void> done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(UploadChunkResponse r) {}

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    };
  }
}
