package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.tests.bench.failover.FirstPutAfterKill.Outcome;
import dev.catena.tests.bench.failover.OpenLoopWriter.Issue;
import dev.catena.tests.bench.failover.OpenLoopWriter.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FailoverBenchmark's measure: kill → ack of the first put issued at or after the kill. */
class FirstPutAfterKillTest {
  private static final long MS = 1_000_000L;
  private static final long KILL = 1_000 * MS;

  @Test
  void measuresTheFirstPutIssuedAtOrAfterTheKillNotTheFirstAck() {
    // Put 1 was issued before the kill and answered after it; put 2 is the first issued at the
    // kill, stuck at the dead head for 4.2 s; put 3, issued later, found the new head first.
    var issued =
        List.of(new Issue(1, KILL - 5 * MS), new Issue(2, KILL), new Issue(3, KILL + 10 * MS));
    var answered =
        List.of(
            new Sample(1, KILL - 5 * MS, KILL + 50 * MS, true),
            new Sample(3, KILL + 10 * MS, KILL + 3_900 * MS, true),
            new Sample(2, KILL, KILL + 4_200 * MS, true));
    FirstPutAfterKill f = FirstPutAfterKill.of(issued, answered, KILL);
    assertThat(f.outcome()).isEqualTo(Outcome.ACKED);
    assertThat(f.ackMillis()).isEqualTo(4_200);
    assertThat(f.failed()).isFalse();
  }

  @Test
  void aFirstPutWithoutAnAckIsAFailedRun() {
    var issued = List.of(new Issue(1, KILL + 3 * MS), new Issue(2, KILL + 13 * MS));
    // Put 1 still unanswered although put 2 was acknowledged: not a success.
    FirstPutAfterKill pending =
        FirstPutAfterKill.of(
            issued, List.of(new Sample(2, KILL + 13 * MS, KILL + 90 * MS, true)), KILL);
    assertThat(pending.outcome()).isEqualTo(Outcome.NO_ANSWER);
    assertThat(pending.failed()).isTrue();
    assertThat(pending.ackMillis()).isEqualTo(-1);
    FirstPutAfterKill error =
        FirstPutAfterKill.of(
            issued, List.of(new Sample(1, KILL + 3 * MS, KILL + 20 * MS, false)), KILL);
    assertThat(error.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(FirstPutAfterKill.of(List.of(new Issue(1, KILL - MS)), List.of(), KILL).outcome())
        .isEqualTo(Outcome.NOT_ISSUED);
  }

  private static FailoverBenchmark.Run run(int n, long settle, FirstPutAfterKill firstPut) {
    return new FailoverBenchmark.Run(n, settle, 0, "n1", 1, 2, 3_900, 4_000, firstPut, 0, 5_000);
  }

  @Test
  void failedRunsAreCountedNotDroppedAndMissTheTarget() {
    var acked = new FirstPutAfterKill(Outcome.ACKED, KILL, 4_100);
    var lost = new FirstPutAfterKill(Outcome.NO_ANSWER, KILL, -1);
    var runs = List.of(run(0, 0, acked), run(1, 3000, acked), run(2, 0, lost), run(3, 3000, acked));
    FailoverBenchmark.Summary settle0 = FailoverBenchmark.Summary.of(runs, 0, 4_500);
    FailoverBenchmark.Summary steady = FailoverBenchmark.Summary.of(runs, 3000, 4_500);
    assertThat(settle0.runs()).isEqualTo(2);
    assertThat(settle0.failedRuns()).isEqualTo(1);
    assertThat(settle0.ack().count()).isEqualTo(1);
    assertThat(settle0.targetMet())
        .as("p99 of the acked runs is met, but one run failed")
        .isFalse();
    assertThat(steady.failedRuns()).isZero();
    assertThat(steady.targetMet()).isTrue();
  }

  @Test
  void settleTimesIncludeZero() {
    assertThat(FailoverBenchmark.settleTimes("0, 3000")).containsExactly(0, 3000);
    assertThatThrownBy(() -> FailoverBenchmark.settleTimes("-1"))
        .isInstanceOf(BenchArgsException.class);
  }
}
