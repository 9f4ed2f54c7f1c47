package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainServiceGrpc;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.PeerChunkPart;
import dev.catena.proto.v1.PeerChunkRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ChainService.ReadChunk} over real gRPC and storage: every ACTIVE member of the chain
 * serves its verified copy of a chunk (the tail included, and the head, so a tail can repair from
 * its predecessor), and each refusal comes as a typed status: a stale epoch, a chain the node does
 * not serve, a node outside the chain, a chunk it does not hold, and a copy whose bytes are damaged
 * (never served).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerChunkReadOverGrpcTest {
  private static final String CHUNK = "v1/0";

  @TempDir Path dir;
  private LocalChainCluster cluster;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private byte[] data;

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Chain 0 at epoch 1 is n1 → n2 (n3 is in no chain) and holds one chunk of 2.5 MiB. */
  private void startWithOneChunk() throws Exception {
    cluster = new LocalChainCluster(dir, 3);
    cluster.configure(List.of(LocalChainCluster.chain(0, 1, List.of("n1", "n2"), List.of())));
    data = new byte[(5 << 20) / 2]; // three pieces
    new SplittableRandom(7).nextBytes(data);
    assertThat(cluster.uploadChunk("n1", 1, CHUNK, data).getCode()).isEqualTo(Status.Code.OK);
  }

  private byte[] read(String node, int chainId, long epoch, String chunkId) {
    NodeInfo info = cluster.infos.get(node);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(info.getHost(), info.getPort())
            .usePlaintext()
            .maxInboundMessageSize(16 << 20)
            .build();
    channels.add(channel);
    Iterator<PeerChunkPart> parts =
        ChainServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .readChunk(
                PeerChunkRequest.newBuilder()
                    .setChainId(chainId)
                    .setEpoch(epoch)
                    .setChunkId(chunkId)
                    .build());
    ByteString all = ByteString.EMPTY;
    while (parts.hasNext()) {
      all = all.concat(parts.next().getData());
    }
    return all.toByteArray();
  }

  private CatenaError refusal(String node, int chainId, long epoch, String chunkId) {
    try {
      read(node, chainId, epoch, chunkId);
    } catch (StatusRuntimeException e) {
      return GrpcErrors.fromThrowable(e).orElseThrow(() -> new AssertionError("untyped: " + e));
    }
    throw new AssertionError("served, expected a refusal");
  }

  @Test
  void everyActiveMemberServesItsCopyTheTailIncluded() throws Exception {
    startWithOneChunk();
    assertThat(read("n2", 0, 1, CHUNK)).isEqualTo(data); // tail
    assertThat(read("n1", 0, 1, CHUNK)).isEqualTo(data); // head: a tail's source
  }

  @Test
  void aStaleOrFutureEpochIsRefusedWithTheCurrentOne() throws Exception {
    startWithOneChunk();
    CatenaError stale = refusal("n2", 0, 0, CHUNK);
    assertThat(stale.getCode()).isEqualTo(ErrorCode.WRONG_EPOCH);
    assertThat(stale.getCurrentEpoch()).isEqualTo(1);
    assertThat(refusal("n1", 0, 2, CHUNK).getCode()).isEqualTo(ErrorCode.WRONG_EPOCH);
  }

  @Test
  void anUnknownChainAndANonMemberAreRefused() throws Exception {
    startWithOneChunk();
    assertThat(refusal("n1", 9, 1, CHUNK).getCode()).isEqualTo(ErrorCode.UNKNOWN_CHAIN);
    assertThat(refusal("n3", 0, 1, CHUNK).getCode()).isEqualTo(ErrorCode.UNKNOWN_CHAIN);
  }

  @Test
  void aChunkTheChainDoesNotHoldIsNoSuchKey() throws Exception {
    startWithOneChunk();
    assertThat(refusal("n2", 0, 1, "v9/0").getCode()).isEqualTo(ErrorCode.NO_SUCH_KEY);
  }

  @Test
  void aDamagedCopyIsRefusedNeverServed() throws Exception {
    startWithOneChunk();
    flipAByte(dir.resolve("n2").resolve("chunks"), data, 2_000_000);
    CatenaError damaged = refusal("n2", 0, 1, CHUNK);
    assertThat(damaged.getCode()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
    assertThat(read("n1", 0, 1, CHUNK)).isEqualTo(data); // the other member's copy is good
  }

  @Test
  void aSyncingOrReconfiguringReplicaRefuses() {
    PeerChunkRequest req =
        PeerChunkRequest.newBuilder().setChainId(4).setEpoch(3).setChunkId(CHUNK).build();
    assertThat(PeerChunkReads.refusal(req, List.of(status(4, 3, Role.SYNCING, false))))
        .map(CatenaError::getCode)
        .hasValue(ErrorCode.UNKNOWN_CHAIN);
    assertThat(PeerChunkReads.refusal(req, List.of(status(4, 3, Role.NOT_MEMBER, false))))
        .map(CatenaError::getCode)
        .hasValue(ErrorCode.UNKNOWN_CHAIN);
    assertThat(PeerChunkReads.refusal(req, List.of(status(4, 3, Role.MIDDLE, true))))
        .map(CatenaError::getCode)
        .hasValue(ErrorCode.WRONG_EPOCH);
    assertThat(PeerChunkReads.refusal(req, List.of(status(4, 3, Role.MIDDLE, false))))
        .isEqualTo(Optional.empty());
  }

  private static ReplicaStatus status(int chain, long epoch, Role role, boolean awaitingConfig) {
    return new ReplicaStatus("n1", chain, epoch, role, 0, 0, 0, 0, 0, false, awaitingConfig, -1);
  }

  /** Flips one byte of the chunk's payload at {@code offset} where it lies in a segment file. */
  static void flipAByte(Path chunkDir, byte[] payload, int offset) throws IOException {
    byte[] probe = Arrays.copyOfRange(payload, offset, offset + 64);
    try (Stream<Path> files = Files.list(chunkDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
        byte[] content = Files.readAllBytes(f);
        for (int i = 0; i + probe.length <= content.length; i++) {
          if (Arrays.equals(content, i, i + probe.length, probe, 0, probe.length)) {
            try (var raf = new RandomAccessFile(f.toFile(), "rw")) {
              raf.seek(i + 10);
              raf.write(content[i + 10] ^ 0x5a);
            }
            return;
          }
        }
      }
    }
    throw new AssertionError("the chunk's bytes are in no segment file under " + chunkDir);
  }
}
