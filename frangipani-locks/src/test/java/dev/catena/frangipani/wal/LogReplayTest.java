package dev.catena.frangipani.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LogReplayTest {
  private final MemoryStore store = new MemoryStore();

  private static Update put(String key, long version, String payload) {
    return new Update(key, "i" + key, 1, version, false, payload.getBytes(StandardCharsets.UTF_8));
  }

  private String valueOf(String key) {
    return store
        .get(key)
        .map(MetaObject::decode)
        .map(o -> o.deleted() ? "<deleted>" : new String(o.payload(), StandardCharsets.UTF_8))
        .orElse("<absent>");
  }

  private Map<String, byte[]> snapshot() {
    Map<String, byte[]> m = new TreeMap<>();
    store.objects.forEach((k, v) -> m.put(k, v.clone()));
    return m;
  }

  @Test
  void appliesCommittedRecordsInOrderAndDeletesTheLog() {
    MetadataLog log = new MetadataLog(store, "c1", 16);
    log.append(List.of(put("a", 1, "a1"), put("b", 1, "b1")));
    log.append(List.of(put("a", 2, "a2")));
    assertThat(new LogReplay(store).replay("c1")).isEqualTo(3);
    assertThat(valueOf("a")).isEqualTo("a2");
    assertThat(valueOf("b")).isEqualTo("b1");
    assertThat(store.list(LogKeys.prefix("c1"))).isEmpty();
  }

  @Test
  void aRecordNotNewerThanItsTargetIsSkippedSoNothingRollsBack() {
    store.put(
        "a", new MetaObject(5, false, "a5".getBytes(StandardCharsets.UTF_8)).encode(), Fence.NONE);
    MetadataLog log = new MetadataLog(store, "c1", 16);
    log.append(List.of(put("a", 4, "a4"), put("b", 1, "b1")));
    assertThat(new LogReplay(store).replay("c1")).isEqualTo(1);
    assertThat(valueOf("a")).isEqualTo("a5");
    assertThat(valueOf("b")).isEqualTo("b1");
  }

  @Test
  void replayingTwiceChangesNothing() {
    MetadataLog log = new MetadataLog(store, "c1", 16);
    log.append(List.of(put("a", 1, "a1")));
    log.append(List.of(new Update("a", "ia", 1, 2, true, new byte[0])));
    // A copy of the log, as if the first replay crashed before deleting it.
    Map<String, byte[]> logCopy = new TreeMap<>(store.objects);
    new LogReplay(store).replay("c1");
    Map<String, byte[]> after = snapshot();
    store.objects.putAll(logCopy);
    store.objects.put("a", after.get("a"));
    assertThat(new LogReplay(store).replay("c1")).isZero();
    assertThat(valueOf("a")).isEqualTo("<deleted>");
    assertThat(Arrays.equals(store.objects.get("a"), after.get("a"))).isTrue();
  }

  @Test
  void replayStopsAtATornRecordAndIgnoresEverythingAfterIt() {
    MetadataLog log = new MetadataLog(store, "c1", 16);
    log.append(List.of(put("a", 1, "a1")));
    byte[] second = new LogRecord(2, List.of(put("b", 1, "b1"))).encode();
    store.put(LogKeys.record("c1", 2), Arrays.copyOf(second, second.length - 3), Fence.NONE);
    store.put(
        LogKeys.record("c1", 3), new LogRecord(3, List.of(put("c", 1, "c1"))).encode(), Fence.NONE);
    assertThat(new LogReplay(store).replay("c1")).isEqualTo(1);
    assertThat(valueOf("a")).isEqualTo("a1");
    assertThat(valueOf("b")).isEqualTo("<absent>");
    assertThat(valueOf("c")).isEqualTo("<absent>");
  }

  @Test
  void trimWaitsForEveryUpdateOfARecordAndWritesTheCheckpointBeforeDeleting() {
    MetadataLog log = new MetadataLog(store, "c1", 2);
    log.append(List.of(put("a", 1, "a1"), put("b", 1, "b1")));
    log.append(List.of(put("c", 1, "c1")));
    assertThat(log.full()).isTrue();
    log.writtenBack("a", 1);
    log.writtenBack("c", 1);
    assertThat(log.trim()).as("record 1 still has b dirty").isZero();
    log.writtenBack("b", 1);
    store.writes.clear();
    assertThat(log.trim()).isEqualTo(2);
    assertThat(store.writes)
        .containsExactly(
            "put " + LogKeys.checkpoint("c1"),
            "delete " + LogKeys.record("c1", 1),
            "delete " + LogKeys.record("c1", 2));
    assertThat(log.full()).isFalse();
    long next = log.append(List.of(put("d", 1, "d1")));
    assertThat(next).isEqualTo(3);
    assertThat(new LogReplay(store).replay("c1")).as("only record 3 is replayed").isEqualTo(1);
  }

  @Test
  void aFailedAppendKeepsItsSeqSoTheLogHasNoGap() {
    MetadataLog log = new MetadataLog(store, "c1", 16);
    store.failNextPut = true;
    assertThatThrownBy(() -> log.append(List.of(put("a", 1, "lost?"))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(log.append(List.of(put("b", 1, "b1")))).isEqualTo(1);
    log.append(List.of(put("c", 1, "c1")));
    assertThat(new LogReplay(store).replay("c1")).isEqualTo(2);
    assertThat(valueOf("a")).isEqualTo("<absent>");
    assertThat(valueOf("c")).isEqualTo("c1");
  }
}
