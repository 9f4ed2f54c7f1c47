package dev.catena.tests.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryRecorder;
import dev.catena.tests.history.OpType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckSummaryTest {
  private final AtomicLong clock = new AtomicLong();
  private final HistoryRecorder rec = new HistoryRecorder(() -> clock.addAndGet(10));

  private History goodHistory() {
    long w = rec.invoke(0, "k0", OpType.WRITE, "a");
    rec.ok(w);
    long r = rec.invoke(1, "k0", OpType.READ, null);
    rec.ok(r, "a");
    long i = rec.invoke(2, "k1", OpType.WRITE, "b");
    rec.info(i);
    long f = rec.invoke(3, "k1", OpType.WRITE, "c");
    rec.fail(f);
    return rec.history();
  }

  /** {@link #goodHistory()} checked with final reads that agree with it. */
  private CheckSummary passing() {
    return HistoryCheck.check(
        goodHistory(),
        Map.of("k0", Optional.of("a"), "k1", Optional.empty()),
        List.of("k0", "k1"),
        true,
        Duration.ofSeconds(10));
  }

  @Test
  void passingHistory() {
    CheckSummary s = passing();
    assertThat(s.line()).isEqualTo("ops=4 ok=2 fail=1 info=1 linearizable=true lost_acked=0");
    assertThat(s.passed()).isTrue();
  }

  @Test
  void lostAcknowledgedWriteFails() {
    CheckSummary s =
        HistoryCheck.check(
            goodHistory(),
            Map.of("k0", Optional.empty(), "k1", Optional.empty()),
            List.of("k0", "k1"),
            true,
            Duration.ofSeconds(10));
    assertThat(s.lostAcked()).hasSize(1);
    assertThat(s.line()).endsWith("lost_acked=1");
    assertThat(s.passed()).isFalse();
  }

  @Test
  void staleReadIsNotLinearizable() {
    long w1 = rec.invoke(0, "k0", OpType.WRITE, "a");
    rec.ok(w1);
    long w2 = rec.invoke(0, "k0", OpType.WRITE, "b");
    rec.ok(w2);
    long r = rec.invoke(1, "k0", OpType.READ, null);
    rec.ok(r, "a");
    CheckSummary s =
        HistoryCheck.check(
            rec.history(),
            Map.of("k0", Optional.of("b")),
            List.of("k0"),
            true,
            Duration.ofSeconds(10));
    assertThat(s.linearizable()).isEqualTo("false");
    assertThat(s.passed()).isFalse();
  }

  @Test
  void unknownVerdictIsNeverAPass() {
    CheckSummary s =
        HistoryCheck.check(
            goodHistory(),
            Map.of("k0", Optional.of("a"), "k1", Optional.empty()),
            List.of("k0", "k1"),
            true,
            Duration.ZERO);
    assertThat(s.linearizable()).isEqualTo("unknown");
    assertThat(s.line()).contains("linearizable=unknown");
    assertThat(s.passed()).isFalse();
  }

  @Test
  void missingFinalReadOrNoRecoveryFails() {
    CheckSummary missing =
        HistoryCheck.check(
            goodHistory(),
            Map.of("k1", Optional.empty()),
            List.of("k0", "k1"),
            true,
            Duration.ofSeconds(10));
    assertThat(missing.missingFinalReads()).containsExactly("k0");
    assertThat(missing.line()).endsWith("final_reads_missing=1");
    assertThat(missing.passed()).isFalse();
    CheckSummary stuck =
        HistoryCheck.check(
            goodHistory(),
            Map.of("k0", Optional.of("a"), "k1", Optional.empty()),
            List.of("k0", "k1"),
            false,
            Duration.ofSeconds(10));
    assertThat(stuck.line()).endsWith("recovered=false");
    assertThat(stuck.passed()).isFalse();
  }

  @Test
  void starvedNemesisFailsAndEveryFaultKindIsCounted() {
    CheckSummary checked = passing();
    // A 5-minute run that injected one kill and nothing more: 20 faults were required.
    int required = NemesisCounts.floor(Duration.ofMinutes(5), true);
    CheckSummary starved = checked.withNemesis(new NemesisCounts(1, 0, 0, 0, 0), required);
    assertThat(required).isEqualTo(20);
    assertThat(starved.starved()).isTrue();
    assertThat(starved.passed()).isFalse();
    assertThat(starved.line())
        .startsWith("ops=4 ok=2 fail=1 info=1 linearizable=true lost_acked=0")
        .contains(" faults: kill=1 pause=0 partition=0 restart=0 replace=0")
        .endsWith(" nemesis starved (1 faults, at least 20 required: one per 15 s)");
    CheckSummary fed = checked.withNemesis(new NemesisCounts(8, 7, 5, 3, 5), required);
    assertThat(fed.passed()).isTrue();
    assertThat(fed.line()).endsWith("faults: kill=8 pause=7 partition=5 restart=3 replace=5");
    assertThat(NemesisCounts.floor(Duration.ofSeconds(5), true)).isEqualTo(1);
    assertThat(NemesisCounts.floor(Duration.ofMinutes(5), false)).isZero();
  }
}
