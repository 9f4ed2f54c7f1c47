package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.DownloadChunkRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
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
    return cluster.uploadChunk("n1", 1, chunkId, data);
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
