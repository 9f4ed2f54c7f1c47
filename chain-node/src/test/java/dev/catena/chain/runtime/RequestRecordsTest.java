package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.chain.protocol.RecoveredState.DedupEntry;
import dev.catena.chain.storage.CorruptRecordException;
import dev.catena.proto.v1.DedupItem;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestRecordsTest {
  private static WriteOp op(String client, long seq, long ackedBelow) {
    return WriteOp.newBuilder()
        .setClientId(client)
        .setRequestSeq(seq)
        .setAckedBelow(ackedBelow)
        .build();
  }

  private static WriteResult result(long seq) {
    return WriteResult.newBuilder().setSeq(seq).setOk(true).build();
  }

  private static String text(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }

  @Test
  void keysSortByRequestSeqAndNameTheClient() {
    assertThat(text(RequestRecords.key("a/b", 255))).isEqualTo("r/a/b/00000000000000ff");
    assertThat(text(RequestRecords.key("c", 9)).compareTo(text(RequestRecords.key("c", 10))))
        .isNegative();
  }

  @Test
  void aWriteAddsItsRecordAndReleasesThoseBelowTheNewMark() {
    var r = new RequestRecords();
    r.record(op("c", 1, 0), result(11));
    r.record(op("c", 2, 0), result(12));
    var change = r.record(op("c", 3, 2), result(13));
    assertThat(text(change.key())).isEqualTo("r/c/0000000000000003");
    assertThat(change.released())
        .extracting(RequestRecordsTest::text)
        .containsExactly("r/c/0000000000000001");
    assertThat(r.entries())
        .containsExactlyInAnyOrder(
            new DedupEntry("c", 2, result(12), 2), new DedupEntry("c", 3, result(13), 2));
    // Another client's mark releases nothing of this one.
    assertThat(r.record(op("d", 9, 9), result(14)).released()).isEmpty();
  }

  @Test
  void loadedRecordsBelowTheMarkAreReleasedByTheClientsNextWrite() {
    var r = new RequestRecords();
    var old = new RequestRecords().record(op("c", 1, 0), result(11));
    var newer = new RequestRecords().record(op("c", 5, 4), result(15));
    r.load(old.key(), old.value());
    r.load(newer.key(), newer.value());
    assertThat(r.entries()).containsExactly(new DedupEntry("c", 5, result(15), 4));
    assertThat(r.record(op("c", 6, 4), result(16)).released())
        .extracting(RequestRecordsTest::text)
        .containsExactly("r/c/0000000000000001");
  }

  @Test
  void aWholeWindowOfAnEarlierVersionIsLoadedToo() {
    var window =
        DedupWindow.newBuilder()
            .setAckedBelow(3)
            .addItems(DedupItem.newBuilder().setRequestSeq(2).setResult(result(12)))
            .addItems(DedupItem.newBuilder().setRequestSeq(3).setResult(result(13)))
            .addItems(DedupItem.newBuilder().setRequestSeq(4).setResult(result(14)))
            .build();
    var r = new RequestRecords();
    r.load("d/c".getBytes(StandardCharsets.UTF_8), window.toByteArray());
    assertThat(r.entries())
        .containsExactlyInAnyOrder(
            new DedupEntry("c", 3, result(13), 3), new DedupEntry("c", 4, result(14), 3));
  }

  @Test
  void anUndecodableRecordIsATypedError() {
    var r = new RequestRecords();
    assertThatThrownBy(
            () -> r.load(RequestRecords.key("c", 1), new byte[] {(byte) 0xff, (byte) 0xff}))
        .isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("r/c/0000000000000001");
  }
}
