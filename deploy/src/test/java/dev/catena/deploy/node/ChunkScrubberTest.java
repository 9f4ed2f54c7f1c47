package dev.catena.deploy.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.runtime.ChunkIntegrity;
import dev.catena.chain.runtime.DurableReplicaStore;
import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.WriteOp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node's scrubber over real storage (LevelDB and segment files on disk), without a cluster: a
 * damaged chunk marker is reported by the metadata part and stops the chunk part of its chain only,
 * so the other chains' chunks are still checked and repaired.
 */
@Timeout(30)
class ChunkScrubberTest {
  @TempDir Path dir;
  private DurableReplicaStore store;
  private ChunkScrubber scrubber;

  @AfterEach
  void close() {
    if (scrubber != null) {
      scrubber.close();
    }
    if (store != null) {
      store.close();
    }
  }

  private static WriteOp putChunk(String id, byte[] data) {
    var put = PutChunk.newBuilder().setChunkId(id).setData(ByteString.copyFrom(data)).build();
    put = put.toBuilder().setCrc32C(ChunkIntegrity.crc32c(put.getData())).build();
    return WriteOp.newBuilder().setClientId("c").setRequestSeq(1).setPutChunk(put).build();
  }

  private static ReplicaStatus tail(int chain) {
    return new ReplicaStatus("n1", chain, 1, Role.TAIL, 1, 1, 1, 0, 0, false, false, -1);
  }

  @Test
  void aDamagedMarkerStopsOnlyItsOwnChainsChunkPart() {
    var meta = LevelDbObjectStore.open(dir.resolve("meta"), FsyncPolicy.GROUP);
    var chunks = SegmentChunkStore.open(dir.resolve("chunks"), FsyncPolicy.GROUP, 8 << 20);
    store = new DurableReplicaStore(meta, chunks);
    byte[] good = new byte[100_000];
    new SplittableRandom(1).nextBytes(good);
    WriteOp first = putChunk("v1/0", good);
    WriteOp second = putChunk("v2/0", good);
    store.persist(1, 1, first, WriteOps.resultOf(1, first), java.util.List.of()).join();
    store.persist(2, 1, second, WriteOps.resultOf(1, second), java.util.List.of()).join();
    // Chain 1's marker damaged in place; chain 2's chunk bytes gone.
    byte[] marker = WriteOps.chunkKey("v1/0").getBytes(StandardCharsets.UTF_8);
    meta.apply(
            ChainMutation.of(
                1, List.of(new ChainMutation.Put(marker, new byte[] {(byte) 0xFF}, 1)), List.of()))
        .join();
    assertThat(chunks.delete("v2/0")).isTrue();

    scrubber =
        new ChunkScrubber(
            store,
            meta,
            chunks,
            () -> List.of(tail(1), tail(2)),
            (chain, id) -> chain == 2 ? Optional.of(ByteString.copyFrom(good)) : Optional.empty(),
            1L << 30,
            new SimpleMeterRegistry());
    ChunkScrubber.Pass pass = scrubber.runPass();

    assertThat(pass.metadata().corrupt()).isEqualTo(1);
    assertThat(pass.metadata().unrepaired()).isEqualTo(1);
    assertThat(pass.missing()).isEqualTo(1); // chain 2 was still scrubbed
    assertThat(pass.repaired()).isEqualTo(1);
    assertThat(chunks.length("v2/0")).hasValue(good.length);
  }
}
