package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.storage.VersionedValue;
import dev.catena.proto.v1.ChunkMeta;
import dev.catena.proto.v1.ChunkRef;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.ObjectManifest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Structural checks of metadata records: each record kind is accepted as the store writes it and
 * refused when it does not decode or does not match its key.
 */
@Timeout(10)
class RecordIntegrityTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static VersionedValue v(byte[] value) {
    return new VersionedValue(value, 7, false);
  }

  private static final byte[] CUT_SHORT = {(byte) 0xFF}; // a field tag that never ends

  @Test
  void manifestsDecodeAndNameTheirOwnKey() {
    var m =
        ObjectManifest.newBuilder()
            .setBucket("b")
            .setKey("k/1")
            .addChunks(ChunkRef.newBuilder().setChunkId("v/0").setChainId(3))
            .build();
    assertThat(RecordIntegrity.damage(b("o/b/k/1"), v(m.toByteArray()))).isEmpty();
    assertThat(RecordIntegrity.chunkRefs(b("o/b/k/1"), v(m.toByteArray())))
        .extracting(ChunkRef::getChunkId)
        .containsExactly("v/0");
    assertThat(RecordIntegrity.damage(b("o/b/other"), v(m.toByteArray()))).isPresent();
    assertThat(RecordIntegrity.damage(b("o/b/k/1"), v(CUT_SHORT))).isPresent();
    assertThat(RecordIntegrity.chunkRefs(b("o/b/k/1"), v(CUT_SHORT))).isEmpty();
  }

  @Test
  void markersWindowsLogEntriesAndFenceMarks() {
    byte[] marker = ChunkMeta.newBuilder().setLength(10).setCrc32C(5).build().toByteArray();
    assertThat(RecordIntegrity.damage(b("c/v/0"), v(marker))).isEmpty();
    assertThat(RecordIntegrity.damage(b("c/v/0"), v(new byte[0]))).isEmpty(); // older format
    byte[] negative = ChunkMeta.newBuilder().setLength(-1).build().toByteArray();
    assertThat(RecordIntegrity.damage(b("c/v/0"), v(negative))).isPresent();
    assertThat(RecordIntegrity.damage(b("c/v/0"), v(CUT_SHORT))).isPresent();

    assertThat(
            RecordIntegrity.damage(
                b("d/client"), v(DedupWindow.getDefaultInstance().toByteArray())))
        .isEmpty();
    assertThat(RecordIntegrity.damage(b("d/client"), v(CUT_SHORT))).isPresent();

    var op =
        dev.catena.proto.v1.WriteOp.newBuilder()
            .setClientId("a/b")
            .setRequestSeq(7)
            .setAckedBelow(3)
            .build();
    byte[] key = RequestRecords.key("a/b", 7);
    byte[] value = RequestRecords.value(op, dev.catena.proto.v1.WriteResult.getDefaultInstance());
    assertThat(RecordIntegrity.damage(key, v(value))).isEmpty();
    assertThat(RecordIntegrity.damage(RequestRecords.key("a/b", 8), v(value)))
        .hasValueSatisfying(d -> assertThat(d).contains("another request"));
    assertThat(RecordIntegrity.damage(key, v(CUT_SHORT))).isPresent();

    long seq = DurableReplicaStore.RING + 42L;
    byte[] entry = Forward.newBuilder().setSeq(seq).build().toByteArray();
    assertThat(RecordIntegrity.damage(b("l/00042"), v(entry))).isEmpty();
    assertThat(RecordIntegrity.damage(b("l/00043"), v(entry))).isPresent();

    assertThat(RecordIntegrity.damage(b("f/scope"), v(new byte[8]))).isEmpty();
    assertThat(RecordIntegrity.damage(b("f/scope"), v(new byte[7]))).isPresent();
  }

  @Test
  void tombstonesAndUnknownKeysAreNotJudged() {
    assertThat(RecordIntegrity.damage(b("o/b/k"), VersionedValue.tombstoneAt(3))).isEmpty();
    assertThat(RecordIntegrity.damage(b("m/syncing"), v(CUT_SHORT))).isEmpty();
  }
}
