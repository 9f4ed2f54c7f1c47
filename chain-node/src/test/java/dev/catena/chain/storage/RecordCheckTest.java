package dev.catena.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LevelDbObjectStore#checkRecords} on a real LevelDB: every data record of one chain in key
 * order, in pages, decoded; a record whose stored form does not decode is reported with the reason
 * instead of ending the scan (the ordinary scan throws on it).
 */
@Timeout(30)
class RecordCheckTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRecordThatDoesNotDecodeIsReportedAndTheScanGoesOn() throws Exception {
    try (var store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      store
          .apply(
              ChainMutation.of(
                  1,
                  List.of(
                      new ChainMutation.Put(b("a"), b("1"), 1),
                      new ChainMutation.Put(b("c"), b("3"), 3)),
                  List.of(new ChainMutation.Delete(b("d"), 4))))
          .join();
      store
          .apply(ChainMutation.of(2, List.of(new ChainMutation.Put(b("a"), b("x"), 1)), List.of()))
          .join();
    }
    // Damage below the store's encoding: an unknown format byte, as a disk or a bug could leave.
    DB raw =
        Iq80DBFactory.factory.open(
            dir.toFile(), new Options().compressionType(org.iq80.leveldb.CompressionType.NONE));
    raw.put(ObjectKeys.dataKey(1, b("b")), new byte[] {0x07, 0, 0, 0, 0, 0, 0, 0, 0, 2});
    raw.close();

    try (var store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      List<RecordCheck> all = store.checkRecords(1, new byte[0], 10);
      assertThat(all)
          .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
          .containsExactly("a", "b", "c", "d");
      assertThat(all.get(1).damage()).hasValueSatisfying(d -> assertThat(d).contains("encoding"));
      assertThat(all.get(0).value()).hasValue(new VersionedValue(b("1"), 1, false));
      assertThat(all.get(3).value()).hasValue(VersionedValue.tombstoneAt(4));
      assertThat(all).allSatisfy(r -> assertThat(r.storedBytes()).isGreaterThan(5));

      List<RecordCheck> first = store.checkRecords(1, new byte[0], 2);
      List<RecordCheck> rest = store.checkRecords(1, b("b\0"), 2);
      assertThat(first).extracting(r -> r.key()[0]).containsExactly((byte) 'a', (byte) 'b');
      assertThat(rest).extracting(r -> r.key()[0]).containsExactly((byte) 'c', (byte) 'd');
      assertThat(store.checkRecords(2, new byte[0], 10)).hasSize(1);
    }
  }
}
