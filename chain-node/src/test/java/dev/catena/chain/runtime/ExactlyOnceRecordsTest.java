package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.proto.v1.WriteOp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §4 invariant 8 end to end on one node: the replica's exactly-once table decides which
 * stored records each write releases and the store purges them (no tombstones), so the records on
 * disk stay bounded by the client's requests in flight however many writes it makes; records found
 * below the mark after a restart are released by the client's next write.
 */
@Timeout(60)
class ExactlyOnceRecordsTest {
  @TempDir Path dir;

  private DurableReplicaStore open() {
    return RuntimeFixtures.store(dir, FsyncPolicy.GROUP);
  }

  private static WriteOp write(long requestSeq, long ackedBelow) {
    return RuntimeFixtures.put(requestSeq, "k" + (requestSeq % 7)).toBuilder()
        .setAckedBelow(ackedBelow)
        .build();
  }

  private static void writeAll(DurableReplicaStore store, long from, long to, long inFlight)
      throws Exception {
    try (var runtime =
        new NodeRuntime(
            "n1", store, RuntimeFixtures.NO_PEERS, NodeFence.withoutSession("n1"), 16, 100)) {
      runtime.applyConfiguration(Map.of(), List.of(RuntimeFixtures.SINGLE_NODE_CHAIN));
      for (long r = from; r <= to; r++) {
        var outcome = new RuntimeFixtures.Outcome();
        runtime.submitWrite(0, 1, write(r, Math.max(0, r - inFlight)), outcome);
        assertThat(outcome.result.get(10, TimeUnit.SECONDS)).isEqualTo("committed");
      }
    }
  }

  private List<String> storedRecordKeys() {
    try (var store = LevelDbObjectStore.open(dir.resolve("m"), FsyncPolicy.GROUP);
        var it = store.scan(0, "r/".getBytes(StandardCharsets.UTF_8), "r0".getBytes())) {
      var keys = new ArrayList<String>();
      // Tombstones would show in the scan: released records must leave nothing.
      it.forEachRemaining(e -> keys.add(new String(e.key(), StandardCharsets.UTF_8)));
      return keys;
    }
  }

  @Test
  void recordsStayBoundedByTheRequestsInFlight() throws Exception {
    try (var store = open()) {
      writeAll(store, 1, 500, 7);
      assertThat(store.recover(0).dedup())
          .extracting(RecoveredState.DedupEntry::requestSeq)
          .containsExactlyInAnyOrder(493L, 494L, 495L, 496L, 497L, 498L, 499L, 500L);
    }
    assertThat(storedRecordKeys()).hasSize(8).allMatch(k -> k.startsWith("r/c1/"));
  }

  @Test
  void recordsLoadedBelowTheMarkAfterARestartAreReleasedByTheNextWrite() throws Exception {
    try (var store = open()) {
      writeAll(store, 1, 20, 100); // nothing released: all 20 records stay
    }
    assertThat(storedRecordKeys()).hasSize(20);
    try (var store = open()) {
      writeAll(store, 21, 21, 3); // its mark (18) discards 1..17, stored before the restart
    }
    assertThat(storedRecordKeys())
        .containsExactly(
            "r/c1/0000000000000012",
            "r/c1/0000000000000013",
            "r/c1/0000000000000014",
            "r/c1/0000000000000015");
  }
}
