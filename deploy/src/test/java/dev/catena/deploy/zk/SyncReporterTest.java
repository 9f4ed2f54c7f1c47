package dev.catena.deploy.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.config.StoreUnavailableException;
import dev.catena.proto.v1.SnapshotTotals;
import dev.catena.proto.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a joining node publishes (DESIGN.md §4 "Add a tail": progress in bytes, keys and lag is
 * visible): every report carries the join's whole state; counts are coalesced, the stream's start,
 * the install's end and caught up are written at once; nothing is written after the join ended.
 */
class SyncReporterTest {
  private final List<SyncStatus> written = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private SyncReporter reporter;

  @AfterEach
  void stop() {
    reporter.close();
  }

  private SyncReporter reporter(SyncReporter.Sink sink) {
    reporter = new SyncReporter(sink, "n4", clock::get);
    return reporter;
  }

  private SyncStatus last() {
    return written.get(written.size() - 1);
  }

  private static final SnapshotTotals TOTALS =
      SnapshotTotals.newBuilder()
          .setRecords(100)
          .setBytes(5000)
          .setSourceRecords(900)
          .setSourceBytes(80_000)
          .build();

  @Test
  void aJoinIsReportedWithItsPlannedTotalsThroughToCaughtUp() {
    var r = reporter(written::add);
    r.planned(2, 7, TOTALS, true);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
    assertThat(last())
        .isEqualTo(
            SyncStatus.newBuilder()
                .setChainId(2)
                .setEpoch(7)
                .setNodeId("n4")
                .setPlannedKnown(true)
                .setPlannedKeys(100)
                .setPlannedBytes(5000)
                .setSourceKeys(900)
                .setSourceBytes(80_000)
                .setDiff(true)
                .setUpdatedAtMillis(last().getUpdatedAtMillis())
                .build());

    // Within the interval: coalesced into one later write carrying the latest values.
    for (int i = 1; i <= 50; i++) {
      r.progress(2, 7, i, i * 50L);
      r.lag(2, 7, 50 - i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 2);
    assertThat(last().getKeys()).isEqualTo(50);
    assertThat(last().getBytes()).isEqualTo(2500);
    assertThat(last().getLagSeqs()).isZero();
    assertThat(last().getPlannedBytes()).isEqualTo(5000);

    r.installed(2, 7, 100, 5000);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 3);
    assertThat(last().getInstalled()).isTrue();
    assertThat(last().getKeys()).isEqualTo(100);
    r.caughtUp(2, 7, 4242);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 4);
    assertThat(last().getCaughtUp()).isTrue();
    assertThat(last().getBytes()).as("the final counts stay in the report").isEqualTo(5000);
    assertThat(last().getPlannedKnown()).isTrue();

    // A newer epoch asks for a new caught-up report.
    clock.addAndGet(SyncReporter.INTERVAL_NANOS);
    r.lag(2, 8, 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 5);
    assertThat(last().getEpoch()).isEqualTo(8);
    assertThat(last().getCaughtUp()).isFalse();
  }

  @Test
  void aNewStreamStartsItsCountsOver() {
    var r = reporter(written::add);
    r.planned(1, 3, TOTALS, false);
    r.installed(1, 3, 100, 5000);
    r.planned(1, 4, TOTALS.toBuilder().setRecords(10).build(), false);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 3);
    assertThat(last().getKeys()).isZero();
    assertThat(last().getInstalled()).isFalse();
    assertThat(last().getPlannedKeys()).isEqualTo(10);
  }

  @Test
  void nothingIsWrittenAfterTheJoinEnded() throws Exception {
    var r = reporter(written::add);
    r.planned(1, 3, TOTALS, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
    r.progress(1, 3, 5, 50); // coalesced: due after the interval
    r.ended(1);
    // The write due after the interval is dropped; a fresh join of another chain still reports.
    r.planned(2, 3, TOTALS, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 2);
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(5))
        .until(() -> written.size() == 2);
    assertThat(written).extracting(SyncStatus::getChainId).containsExactly(1, 2);
  }

  @Test
  void caughtUpIsRetriedWhileZooKeeperIsUnavailable() {
    var failures = new AtomicInteger(3);
    var r =
        reporter(
            s -> {
              if (failures.getAndDecrement() > 0) {
                throw new StoreUnavailableException("zookeeper down", null);
              }
              written.add(s);
            });
    r.caughtUp(5, 9, 100);
    await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
    assertThat(last().getCaughtUp()).isTrue();
    assertThat(last().getEpoch()).isEqualTo(9);
  }
}
