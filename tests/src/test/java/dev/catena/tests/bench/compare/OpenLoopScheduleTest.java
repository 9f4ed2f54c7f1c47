package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  @Test
  void requestsAreDueAtFixedIntervalsFromTheStart() {
    var s = new OpenLoopSchedule(1_000, 1000);
    assertThat(s.intendedStartNanos(0)).isEqualTo(1_000);
    assertThat(s.intendedStartNanos(1)).isEqualTo(1_001_000);
    assertThat(s.intendedStartNanos(1000)).isEqualTo(1_000_001_000L);
  }

  @Test
  void latencyCountsFromTheIntendedStartNotTheSend() {
    var s = new OpenLoopSchedule(0, 100); // one every 10 ms
    // Request 5 was due at 50 ms; a stall meant it completed at 300 ms: 250 ms of latency, even if
    // it was sent only at 299 ms.
    assertThat(s.latencyNanos(5, 300_000_000L)).isEqualTo(250_000_000L);
    assertThat(s.latencyNanos(5, 10)).isZero();
  }

  @Test
  void countsTheRequestsDueWithinADuration() {
    var s = new OpenLoopSchedule(0, 500);
    assertThat(s.countWithin(1_000_000_000L)).isEqualTo(500);
    assertThat(s.countWithin(1)).isEqualTo(1);
    assertThat(s.countWithin(0)).isZero();
    assertThat(new OpenLoopSchedule(0, 2.5).countWithin(2_000_000_000L)).isEqualTo(5);
  }

  @Test
  void rejectsNonPositiveRates() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 1).intendedStartNanos(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
