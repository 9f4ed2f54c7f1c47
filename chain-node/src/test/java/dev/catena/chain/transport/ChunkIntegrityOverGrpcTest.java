package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.catena.chain.runtime.PeerTransport;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.DownloadChunkRequest;
import dev.catena.proto.v1.DownloadChunkResponse;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotRequest;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk bytes end to end over real gRPC (GFS §5.2): every replica checks the sender's checksum
 * before it stores a chunk, and chunk ids are written once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkIntegrityOverGrpcTest {
  @TempDir Path dir;
  private LocalChainCluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private Status upload(String node, long requestSeq, String chunkId, byte[] data)
      throws Exception {
    return cluster.uploadChunk(node, requestSeq, chunkId, data);
  }

  private byte[] download(String node, String chunkId) throws Exception {
    var out = new ByteArrayOutputStream();
    Iterator<DownloadChunkResponse> it =
        cluster
            .stub(node)
            .downloadChunk(
                DownloadChunkRequest.newBuilder()
                    .setChainId(0)
                    .setEpoch(1)
                    .setChunkId(chunkId)
                    .build());
    while (it.hasNext()) {
      it.next().getData().writeTo(out);
    }
    return out.toByteArray();
  }

  // Issue: the PutChunk CRC was checked only at the head; a successor stored whatever arrived
  // under checksums computed afresh over it.
  @Test
  void aSuccessorRefusesDamagedBytesAndGetsThemAgain() throws Exception {
    var damaged = new AtomicInteger();
    cluster = new LocalChainCluster(dir, 2, Map.of("n2", t -> new DamagingTransport(t, damaged)));
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1", "n2"), List.of())));
    byte[] data = bytes(1, 300_000);

    assertThat(upload("n1", 1, "v1/0", data).getCode()).isEqualTo(Status.Code.OK);

    assertThat(damaged.get()).as("a forward was damaged on the wire").isEqualTo(1);
    assertThat(download("n2", "v1/0")).as("the tail holds the sender's bytes").isEqualTo(data);
    assertThat(cluster.nodes.get("n2").runtime().storageFailure()).isEmpty();
  }

  // Issue: a second PutChunk with an existing id replaced the bytes on that chain, and replicas
  // that missed it diverged unnoticed.
  @Test
  void chunkIdsAreWrittenOnce() throws Exception {
    cluster = new LocalChainCluster(dir, 2);
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1", "n2"), List.of())));
    byte[] first = bytes(1, 100_000);
    byte[] other = bytes(2, 100_000);

    assertThat(upload("n1", 1, "v1/0", first).getCode()).isEqualTo(Status.Code.OK);
    Status refused = upload("n1", 2, "v1/0", other);
    assertThat(refused.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(refused.getDescription()).startsWith(ErrorCode.CHUNK_EXISTS.name());
    // An identical retry under a new request id succeeds.
    assertThat(upload("n1", 3, "v1/0", first).getCode()).isEqualTo(Status.Code.OK);
    assertThat(download("n2", "v1/0")).isEqualTo(first);
  }

  /** Flips one byte of the chunk data in the first PutChunk forward that arrives. */
  private static final class DamagingTransport implements PeerTransport {
    private final PeerTransport real;
    private final AtomicInteger damaged;

    DamagingTransport(PeerTransport real, AtomicInteger damaged) {
      this.real = real;
      this.damaged = damaged;
    }

    @Override
    public Iterator<SnapshotEntry> fetchSnapshot(NodeInfo source, SnapshotRequest request) {
      return real.fetchSnapshot(source, request);
    }

    @Override
    public UpstreamLink openUpstream(int chainId, NodeInfo predecessor, UpstreamListener l) {
      return real.openUpstream(
          chainId,
          predecessor,
          new UpstreamListener() {
            @Override
            public void opened() {
              l.opened();
            }

            @Override
            public void message(ChainMessage m) {
              if (m.hasForward()
                  && m.getForward().getOp().hasPutChunk()
                  && damaged.compareAndSet(0, 1)) {
                byte[] b = m.getForward().getOp().getPutChunk().getData().toByteArray();
                b[b.length / 2] ^= 0x40;
                var op = m.getForward().getOp();
                m =
                    m.toBuilder()
                        .setForward(
                            m.getForward().toBuilder()
                                .setOp(
                                    op.toBuilder()
                                        .setPutChunk(
                                            op.getPutChunk().toBuilder()
                                                .setData(ByteString.copyFrom(b)))))
                        .build();
              }
              l.message(m);
            }

            @Override
            public void closed(Throwable cause) {
              l.closed(cause);
            }
          });
    }
  }
}
