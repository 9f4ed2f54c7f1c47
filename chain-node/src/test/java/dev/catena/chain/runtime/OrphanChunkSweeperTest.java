package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.WriteOp;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk bytes a resync rolled back (their marker deleted by an install) are deleted by the node,
 * after two passes; chunks with a marker, and bytes whose marker comes before the second pass,
 * stay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrphanChunkSweeperTest {
  @TempDir Path dir;

  @Test
  void bytesARollbackLeftBehindAreDeletedAfterTwoPasses() throws Exception {
    var chunks = SegmentChunkStore.open(dir.resolve("c"), FsyncPolicy.NONE, 1 << 20);
    try (var store =
            new DurableReplicaStore(
                LevelDbObjectStore.open(dir.resolve("m"), FsyncPolicy.NONE), chunks);
        var sweeper = new OrphanChunkSweeper(store, Duration.ofHours(1))) {
      WriteOp kept = ChunkContentTest.putChunk("kept/0", "committed");
      WriteOp rolledBack = ChunkContentTest.putChunk("uncommitted/0", "never committed");
      store
          .persist(0, 1, kept, WriteOps.resultOf(1, kept), java.util.List.of())
          .get(10, TimeUnit.SECONDS);
      store
          .persist(0, 2, rolledBack, WriteOps.resultOf(2, rolledBack), java.util.List.of())
          .get(10, TimeUnit.SECONDS);

      // A rejoin: the predecessor holds only seq 1, so the install rolls back seq 2's marker.
      long token = store.beginSync(0);
      var snapshot =
          List.of(
              SnapshotEntry.newBuilder()
                  .setCutSeq(1)
                  .setKey(ByteString.copyFromUtf8(WriteOps.chunkKey("kept/0")))
                  .setValue(ChunkIntegrity.meta(kept.getPutChunk()).toByteString())
                  .setVersion(1)
                  .setChunkData(kept.getPutChunk().getData())
                  .build(),
              SnapshotEntry.newBuilder().setLast(true).build());
      assertThat(store.installSnapshot(0, token, snapshot.iterator(), (r, b) -> {})).isTrue();
      assertThat(chunks.chunkIds()).contains("uncommitted/0");

      // Bytes written before their marker (a write in flight) are not deleted by one pass.
      chunks.write("inflight/0", ByteBuffer.wrap(new byte[] {1, 2, 3})).get();

      sweeper.sweep();
      assertThat(chunks.chunkIds()).contains("uncommitted/0", "inflight/0", "kept/0");
      WriteOp inflight =
          ChunkContentTest.putChunk("inflight/0", "x").toBuilder()
              .setPutChunk(
                  PutChunk.newBuilder()
                      .setChunkId("inflight/0")
                      .setData(ByteString.copyFrom(new byte[] {1, 2, 3}))
                      .setCrc32C(ChunkIntegrity.crc32c(ByteString.copyFrom(new byte[] {1, 2, 3}))))
              .build();
      store
          .persist(0, 3, inflight, WriteOps.resultOf(3, inflight), java.util.List.of())
          .get(10, TimeUnit.SECONDS);

      sweeper.sweep();
      assertThat(chunks.chunkIds()).containsExactlyInAnyOrder("kept/0", "inflight/0");
      assertThat(sweeper.deleted()).isEqualTo(1);
    }
  }
}
