package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.ChunkMeta;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.WriteOp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunk content at the storage level: markers record the writer's checksum, so resync digests
 * differ where chunk bytes differ, and a snapshot install refuses bytes that do not match it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkContentTest {
  @TempDir Path dir;

  private DurableReplicaStore open(String name) {
    return new DurableReplicaStore(
        LevelDbObjectStore.open(dir.resolve(name).resolve("m"), FsyncPolicy.NONE),
        SegmentChunkStore.open(dir.resolve(name).resolve("c"), FsyncPolicy.NONE, 1 << 20));
  }

  /** A chunk write of {@code content} with its correct CRC32C (client c, request 1). */
  static WriteOp putChunk(String id, String content) {
    ByteString data = ByteString.copyFromUtf8(content);
    return WriteOp.newBuilder()
        .setClientId("c")
        .setRequestSeq(1)
        .setPutChunk(
            PutChunk.newBuilder()
                .setChunkId(id)
                .setData(data)
                .setCrc32C(ChunkIntegrity.crc32c(data)))
        .build();
  }

  private static BucketDigests digestsAfter(DurableReplicaStore store, WriteOp op)
      throws Exception {
    store
        .persist(0, 1, op, WriteOps.resultOf(1, op), java.util.List.of())
        .get(10, TimeUnit.SECONDS);
    long token = store.beginSync(0);
    return store.syncDigests(0, token).orElseThrow();
  }

  // Issue: resync digests covered chunk markers, not bytes, so replicas with other bytes under
  // the same chunk id looked equal.
  @Test
  void digestsDifferWhereChunkBytesDiffer() throws Exception {
    try (var a = open("a");
        var b = open("b");
        var c = open("c")) {
      BucketDigests da = digestsAfter(a, putChunk("v/0", "one content"));
      BucketDigests db = digestsAfter(b, putChunk("v/0", "another one"));
      BucketDigests dc = digestsAfter(c, putChunk("v/0", "one content"));
      assertThat(da.differing(db).isEmpty()).isFalse();
      assertThat(da.differing(dc).isEmpty()).isTrue();
    }
  }

  // Issue: joiners computed fresh checksums over whatever arrived.
  @Test
  void aSnapshotInstallRefusesChunkBytesThatDoNotMatchTheirMarker() throws Exception {
    ByteString good = ByteString.copyFromUtf8("the chunk's bytes");
    ByteString bad = ByteString.copyFromUtf8("the chunk's bytez");
    var marker =
        ChunkMeta.newBuilder().setLength(good.size()).setCrc32C(ChunkIntegrity.crc32c(good));
    var entry =
        SnapshotEntry.newBuilder()
            .setCutSeq(5)
            .setKey(ByteString.copyFrom(WriteOps.chunkKey("v/0"), StandardCharsets.UTF_8))
            .setValue(marker.build().toByteString())
            .setVersion(5)
            .setChunkData(bad)
            .build();
    var end = SnapshotEntry.newBuilder().setLast(true).build();
    try (var joiner = open("j")) {
      long token = joiner.beginSync(0);
      assertThatThrownBy(
              () -> joiner.installSnapshot(0, token, List.of(entry, end).iterator(), (r, b) -> {}))
          .hasRootCauseInstanceOf(ChunkIntegrityException.class)
          .rootCause()
          .hasMessageContaining("chunk v/0");
      assertThat(joiner.chunkLength("v/0")).isEmpty();

      long again = joiner.beginSync(0);
      var fixed = entry.toBuilder().setChunkData(good).build();
      assertThat(joiner.installSnapshot(0, again, List.of(fixed, end).iterator(), (r, b) -> {}))
          .isTrue();
      assertThat(joiner.chunkMeta(0, "v/0")).contains(marker.build());
    }
  }
}
