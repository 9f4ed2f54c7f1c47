package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.WriteOp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Joins at the storage level (DESIGN.md §4a "Snapshot cut", "Rejoin with old data"): forwarded
 * writes win over snapshot records, a superseded install writes nothing, and an install cut short
 * by a crash leaves a replica that recovers partial.
 */
class DurableReplicaStoreTest {
  @TempDir Path dir;

  private DurableReplicaStore open() {
    return new DurableReplicaStore(
        LevelDbObjectStore.open(dir.resolve("m"), FsyncPolicy.GROUP),
        SegmentChunkStore.open(dir.resolve("c"), FsyncPolicy.GROUP, 1 << 20));
  }

  private static WriteOp put(String key, String value, long requestSeq) {
    return WriteOp.newBuilder()
        .setClientId("c")
        .setRequestSeq(requestSeq)
        .setPutManifest(
            ObjectManifest.newBuilder()
                .setBucket("bkt")
                .setKey(key)
                .setVersionId(value)
                .setInlineData(ByteString.copyFromUtf8(value)))
        .build();
  }

  private static SnapshotEntry record(long cut, String key, String value, long version) {
    var m =
        ObjectManifest.newBuilder()
            .setBucket("bkt")
            .setKey(key)
            .setVersionId(value)
            .setInlineData(ByteString.copyFromUtf8(value))
            .build();
    return SnapshotEntry.newBuilder()
        .setCutSeq(cut)
        .setKey(ByteString.copyFrom(WriteOps.objectKey("bkt", key), StandardCharsets.UTF_8))
        .setValue(m.toByteString())
        .setVersion(version)
        .build();
  }

  private static List<SnapshotEntry> snapshot(long cut, SnapshotEntry... records) {
    var l = new ArrayList<SnapshotEntry>(List.of(records));
    l.add(SnapshotEntry.newBuilder().setLast(true).build());
    return l;
  }

  private static String value(DurableReplicaStore s, String key) {
    return s.getObject(1, "bkt", key).map(m -> m.getInlineData().toStringUtf8()).orElse(null);
  }

  @Test
  void anExactlyOnceRecordSurvivesARestartWithItsResult() {
    WriteOp op = put("k", "v", 42).toBuilder().setAckedBelow(40).build();
    var result = WriteOps.resultOf(1, op);
    try (var s = open()) {
      s.persist(1, 1, op, result, java.util.List.of()).join();
    }
    try (var s = open()) {
      assertThat(s.recover(1).dedup())
          .containsExactly(new RecoveredState.DedupEntry("c", 42, result, 40));
    }
  }

  @Test
  void forwardedWriteWinsOverOlderSnapshotRecord() {
    try (var s = open()) {
      long token = s.beginSync(1);
      WriteOp newer = put("k", "forwarded", 1);
      s.persist(1, 11, newer, WriteOps.resultOf(11, newer), java.util.List.of()).join();
      boolean installed =
          s.installSnapshot(
              1,
              token,
              snapshot(10, record(10, "j", "kept", 5), record(10, "k", "old", 4)).iterator(),
              (r, b) -> {});
      assertThat(installed).isTrue();
      assertThat(value(s, "k")).isEqualTo("forwarded");
      assertThat(value(s, "j")).isEqualTo("kept");
      assertThat(s.recover(1).lastSeq()).isEqualTo(11);
    }
  }

  @Test
  void joinDropsOldDataAndSupersededInstallWritesNothing() {
    try (var s = open()) {
      WriteOp stale = put("stale", "uncommitted", 1);
      s.persist(1, 1, stale, WriteOps.resultOf(1, stale), java.util.List.of()).join();
      long first = s.beginSync(1);
      long second = s.beginSync(1);
      assertThat(
              s.installSnapshot(
                  1, first, snapshot(3, record(3, "a", "from-first", 2)).iterator(), (r, b) -> {}))
          .isFalse();
      assertThat(
              s.installSnapshot(
                  1,
                  second,
                  snapshot(3, record(3, "b", "from-second", 3)).iterator(),
                  (r, b) -> {}))
          .isTrue();
      assertThat(value(s, "stale")).isNull();
      assertThat(value(s, "a")).isNull();
      assertThat(value(s, "b")).isEqualTo("from-second");
    }
  }

  @Test
  void installCutShortRecoversAnEmptyReplica() {
    try (var s = open()) {
      WriteOp old = put("k", "v", 1);
      s.persist(1, 5, old, WriteOps.resultOf(5, old), java.util.List.of()).join();
      s.beginSync(1);
      WriteOp forwarded = put("k2", "v2", 2);
      s.persist(1, 9, forwarded, WriteOps.resultOf(9, forwarded), java.util.List.of()).join();
      // crash: no installSnapshot
    }
    try (var s = open()) {
      var recovered = s.recover(1);
      assertThat(recovered.lastSeq()).isZero();
      assertThat(recovered.log()).isEmpty();
      assertThat(recovered.resyncRequired()).isTrue();
    }
  }

  @Test
  void truncatedSnapshotStreamIsATypedError() {
    try (var s = open()) {
      long token = s.beginSync(1);
      var truncated = List.of(record(3, "a", "x", 1)).iterator();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> s.installSnapshot(1, token, truncated, (r, b) -> {}))
          .isInstanceOf(dev.catena.chain.storage.CorruptRecordException.class)
          .hasMessageContaining("truncated");
    }
  }

  // Issue: the end of an install wrote the commit mark back down to the snapshot's cut, although
  // forwarded writes above it had been committed meanwhile; after more than RING of them the log
  // ring no longer held what lay above the mark, and the replica could not recover its log.
  @Test
  void anInstallNeverMovesTheCommitMarkBackToItsCut() {
    int forwards = 50;
    try (var s = open()) {
      long token = s.beginSync(1);
      for (int i = 1; i <= forwards; i++) {
        WriteOp w = put("k" + i, "v" + i, i);
        s.persist(1, 10 + i, w, WriteOps.resultOf(10 + i, w), java.util.List.of()).join();
        s.markCommitted(1, 10 + i);
      }
      assertThat(
              s.installSnapshot(
                  1, token, snapshot(10, record(10, "j", "kept", 5)).iterator(), (r, b) -> {}))
          .isTrue();
    }
    try (var s = open()) {
      var recovered = s.recover(1);
      assertThat(recovered.resyncRequired()).isFalse();
      assertThat(recovered.lastSeq()).isEqualTo(10 + forwards);
      // The mark stays where the forwarded writes' commits put it, not at the cut (10): with
      // more than RING forwards the ring slots above the cut would already be overwritten.
      assertThat(recovered.committedSeq()).isEqualTo(10 + forwards);
    }
  }
}
