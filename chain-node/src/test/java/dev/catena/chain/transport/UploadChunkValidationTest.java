package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.catena.proto.v1.DownloadChunkRequest;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.RequestId;
import dev.catena.proto.v1.UploadChunkRequest;
import dev.catena.proto.v1.UploadChunkResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunk uploads over real gRPC: bad input is refused with a typed error and stores nothing. */
class UploadChunkValidationTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Status upload(String chunkId, byte[] data) throws Exception {
    var crc = new CRC32C();
    crc.update(data);
    var info = cluster.infos.get("n1");
    var channel =
        NettyChannelBuilder.forAddress(info.getHost(), info.getPort()).usePlaintext().build();
    var done = new CompletableFuture<Void>();
    try {
      var requests =
          ObjectServiceGrpc.newStub(channel)
              .uploadChunk(
                  new StreamObserver<UploadChunkResponse>() {
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
                  });
      requests.onNext(
          UploadChunkRequest.newBuilder()
              .setChainId(0)
              .setEpoch(1)
              .setRequestId(RequestId.newBuilder().setClientId("c1").setRequestSeq(1))
              .setChunkId(chunkId)
              .setLength(data.length)
              .setCrc32C((int) crc.getValue())
              .setData(ByteString.copyFrom(data))
              .build());
      requests.onCompleted();
      done.get(30, TimeUnit.SECONDS);
      return Status.OK;
    } catch (ExecutionException e) {
      return Status.fromThrowable(e.getCause());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void anEmptyChunkIsRefusedAndNotStored() throws Exception {
    cluster = new LocalChainCluster(dir, 1);
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1"), List.of())));

    Status s = upload("ver-1/0", new byte[0]);

    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("empty chunk ver-1/0");
    try {
      cluster
          .stub("n1")
          .downloadChunk(
              DownloadChunkRequest.newBuilder()
                  .setChainId(0)
                  .setEpoch(1)
                  .setChunkId("ver-1/0")
                  .build())
          .forEachRemaining(piece -> {});
      throw new AssertionError("an empty chunk was stored");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.OK);
    }
    // A chunk of one byte is accepted.
    assertThat(upload("ver-2/0", new byte[] {42}).getCode()).isEqualTo(Status.Code.OK);
  }

  // Issue: a chunk id longer than the chunk store accepts reached the persist path, which threw;
  // the next write's durability then acknowledged it although no replica stored it.
  @Test
  void aChunkIdLongerThanTheStoreAcceptsIsRefusedAtTheApi() throws Exception {
    cluster = new LocalChainCluster(dir, 1);
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1"), List.of())));

    String tooLong = "v/" + "x".repeat(1023); // 1025 UTF-8 bytes
    Status s = upload(tooLong, new byte[] {1, 2, 3});

    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(s.getDescription()).contains("chunk id of 1025 bytes exceeds 1024");
    // The node is unharmed: a valid chunk is stored and the storage has not failed.
    assertThat(upload("v/" + "x".repeat(1022), new byte[] {1}).getCode()).isEqualTo(Status.Code.OK);
    assertThat(cluster.nodes.get("n1").runtime().storageFailure()).isEmpty();
  }
}
