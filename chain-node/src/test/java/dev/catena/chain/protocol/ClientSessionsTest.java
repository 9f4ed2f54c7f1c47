package dev.catena.chain.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.WriteResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exactly-once table decides which stored records each write deletes (invariant 8). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClientSessionsTest {
  private static WriteResult result(long seq) {
    return WriteResult.newBuilder().setSeq(seq).setOk(true).build();
  }

  @Test
  void aWriteReleasesTheRecordsItsMarkDiscards() {
    var t = new ClientSessions();
    assertThat(t.record("c", 1, 0, result(11))).isEmpty();
    assertThat(t.record("c", 2, 0, result(12))).isEmpty();
    assertThat(t.record("c", 3, 2, result(13))).containsExactly(1L);
    assertThat(t.lookup("c", 1)).isEmpty();
    assertThat(t.isForgotten("c", 1)).isTrue();
    assertThat(t.lookup("c", 2)).contains(result(12));
    assertThat(t.lookup("c", 3)).contains(result(13));
    // Another client's mark releases nothing of this one; a write without a new mark releases
    // nothing either.
    assertThat(t.record("d", 9, 9, result(14))).isEmpty();
    assertThat(t.record("c", 4, 2, result(15))).isEmpty();
    assertThat(t.size()).isEqualTo(4);
  }

  @Test
  void loadedRecordsBelowTheMarkAreReleasedByTheClientsNextWrite() {
    var t = new ClientSessions();
    t.load("c", 5, 4, result(15)); // the mark first, then an older record
    t.load("c", 1, 0, result(11));
    t.load("c", 4, 3, result(14)); // at the mark: kept
    assertThat(t.lookup("c", 1)).isEmpty();
    assertThat(t.lookup("c", 4)).contains(result(14));
    assertThat(t.record("c", 6, 4, result(16))).containsExactly(1L);
    assertThat(t.record("c", 7, 4, result(17))).isEmpty(); // released once
  }

  @Test
  void aLoadedMarkDiscardsWhatWasLoadedBeforeIt() {
    var t = new ClientSessions();
    t.load("c", 2, 0, result(12));
    t.load("c", 3, 0, result(13));
    t.load("c", 9, 8, result(19));
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.record("c", 10, 8, result(20))).containsExactly(2L, 3L);
  }

  @Test
  void aLoadedRecordNeverReplacesTheResultOfAKnownRequest() {
    var t = new ClientSessions();
    t.record("c", 5, 0, result(50)); // forwarded while a join's snapshot streamed
    t.load("c", 5, 0, result(99)); // the snapshot's record of the same request
    assertThat(t.lookup("c", 5)).contains(result(50));
  }

  @Test
  void clearingForgetsRecordsAndPendingReleases() {
    var t = new ClientSessions();
    t.load("c", 1, 5, result(11));
    t.clear();
    assertThat(t.record("c", 6, 5, result(16))).isEmpty();
  }
}
