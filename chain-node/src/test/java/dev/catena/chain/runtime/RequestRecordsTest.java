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
  void aRecordHoldsItsRequestsResultAndTheClientsMark() {
    byte[] value = RequestRecords.value(op("c", 3, 2), result(13));
    assertThat(RequestRecords.decode(RequestRecords.key("c", 3), value))
        .containsExactly(new DedupEntry("c", 3, result(13), 2));
    // A client id may contain slashes: the seq is what follows the last one.
    assertThat(RequestRecords.decode(RequestRecords.key("a/b", 8), value))
        .containsExactly(new DedupEntry("a/b", 3, result(13), 2));
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
    // Every item with the window's mark; the protocol's table discards those below it.
    assertThat(RequestRecords.decode("d/c".getBytes(StandardCharsets.UTF_8), window.toByteArray()))
        .containsExactly(
            new DedupEntry("c", 2, result(12), 3),
            new DedupEntry("c", 3, result(13), 3),
            new DedupEntry("c", 4, result(14), 3));
  }

  @Test
  void anUndecodableRecordIsATypedError() {
    assertThatThrownBy(
            () -> RequestRecords.decode(RequestRecords.key("c", 1), new byte[] {(byte) 0xff}))
        .isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("r/c/0000000000000001");
  }
}
