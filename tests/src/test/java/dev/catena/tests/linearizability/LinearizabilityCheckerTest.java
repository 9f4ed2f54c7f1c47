package dev.catena.tests.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.history.History;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.Operation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Hand-written histories with known verdicts. Definitions follow Herlihy &amp; Wing,
 * "Linearizability: a correctness condition for concurrent objects" (TOPLAS 1990); the per-key
 * split is their locality theorem (section 3.3), the search is Wing &amp; Gong with Lowe's
 * memoisation as in Porcupine (github.com/anishathalye/porcupine, checker.go).
 */
class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private Verdict verdict(Hist h) {
    return checker.check(h.build()).verdict();
  }

  // --- linearizable -------------------------------------------------------------------------

  @Test
  void sequentialHistoryIsLinearizable() {
    Hist h =
        new Hist()
            .read(0, null, 0, 1)
            .write(0, "1", 2, 3)
            .read(1, "1", 4, 5)
            .write(1, "2", 6, 7)
            .read(0, "2", 8, 9)
            .delete(0, 10, 11)
            .read(1, null, 12, 13);
    assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void overlappingWritesMayBeReadInEitherOrder() {
    // H&W: concurrent operations may take effect in either order.
    for (String seen : List.of("1", "2")) {
      Hist h =
          new Hist()
              .write(0, "1", 0, 10)
              .write(1, "2", 1, 9)
              .read(2, seen, 11, 12)
              .read(0, seen, 13, 14);
      assertThat(verdict(h)).as("read %s", seen).isEqualTo(Verdict.LINEARIZABLE);
    }
  }

  @Test
  void readConcurrentWithWriteMaySeeOldOrNewValue() {
    for (String seen : List.of("1", "2")) {
      Hist h = new Hist().write(0, "1", 0, 1).write(0, "2", 2, 10).read(1, seen, 3, 4);
      assertThat(verdict(h)).as("read %s", seen).isEqualTo(Verdict.LINEARIZABLE);
    }
  }

  @Test
  void infoWriteThatTookEffectIsLinearizable() {
    Hist h =
        new Hist().write(0, "1", 0, 1).writeInfo(0, "2", 2).read(1, "2", 5, 6).read(1, "2", 7, 8);
    assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void infoWriteThatNeverTookEffectIsLinearizable() {
    Hist h =
        new Hist().write(0, "1", 0, 1).writeInfo(0, "2", 2).read(1, "1", 5, 6).read(1, "1", 7, 8);
    assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void infoWriteMayTakeEffectLongAfterItsClientGaveUp() {
    // The INFO write is open-ended: it can be linearized after the read of "1" at 20..21.
    Hist h =
        new Hist()
            .write(0, "1", 0, 1)
            .add(Operation.write(99, 0, "x", "2", 2, 3, OpStatus.INFO))
            .read(1, "1", 20, 21)
            .read(1, "2", 30, 31);
    assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void failedWriteIsIgnored() {
    Hist h = new Hist().write(0, "1", 0, 1).writeFail(0, "2", 2, 3).read(1, "1", 4, 5);
    assertThat(verdict(h)).isEqualTo(Verdict.LINEARIZABLE);
  }

  // --- violations ---------------------------------------------------------------------------

  @Test
  void staleReadIsNotLinearizable() {
    Hist h = new Hist().write(0, "1", 0, 1).write(0, "2", 2, 3).read(1, "1", 4, 5);
    assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void lostAcknowledgedWriteIsNotLinearizable() {
    // Write "2" was acknowledged but is never visible; a later read still sees "1".
    Hist h =
        new Hist()
            .write(0, "1", 0, 1)
            .read(1, "1", 2, 3)
            .write(0, "2", 4, 5)
            .read(1, "1", 10, 11)
            .read(2, "1", 12, 13);
    assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readOfUncommittedValueIsNotLinearizable() {
    // The read sees "2", whose write later FAILED (definitely never took effect).
    Hist h = new Hist().write(0, "1", 0, 1).writeFail(0, "2", 2, 10).read(1, "2", 3, 4);
    CheckResult r = checker.check(h.build());
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    // The witness shows the failed write as context.
    assertThat(r.key("x").witness()).extracting(Operation::status).contains(OpStatus.FAIL);
  }

  @Test
  void duplicateApplyIsNotLinearizable() {
    // A, B, read B, read A with no second write of A: A re-appeared (applied twice).
    Hist h =
        new Hist().write(0, "A", 0, 1).write(0, "B", 2, 3).read(1, "B", 4, 5).read(1, "A", 6, 7);
    assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readOfDeletedKeyIsNotLinearizable() {
    Hist h = new Hist().write(0, "1", 0, 1).delete(0, 2, 3).read(1, "1", 4, 5);
    assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readOfAbsentAfterCompletedWriteIsNotLinearizable() {
    Hist h = new Hist().write(0, "1", 0, 1).read(1, null, 2, 3);
    assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readsThatDisagreeOnOrderOfConcurrentWritesAreNotLinearizable() {
    // Two readers after both writes completed must agree on the last one.
    Hist h =
        new Hist()
            .write(0, "1", 0, 10)
            .write(1, "2", 1, 9)
            .read(2, "1", 11, 12)
            .read(3, "2", 13, 14);
    assertThat(verdict(h)).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void keysAreCheckedIndependentlyAndVerdictsCombine() {
    Hist h = new Hist();
    h.key("good").write(0, "1", 0, 1).read(1, "1", 2, 3);
    h.key("bad").write(0, "1", 4, 5).write(0, "2", 6, 7).read(1, "1", 8, 9);
    CheckResult r = checker.check(h.build());
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(r.key("good").verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(r.key("bad").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  // --- budget -------------------------------------------------------------------------------

  @Test
  void tinyStateBudgetOnLargeConcurrentHistoryIsUnknownNeverLinearizable() {
    History big =
        RandomRegisterHistories.generate(7, new RandomRegisterHistories.Shape(12, 1, 300));
    CheckResult tiny =
        new LinearizabilityChecker(CheckerOptions.defaults().withMaxStatesPerKey(50)).check(big);
    assertThat(tiny.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(tiny.key("k0").reason()).contains("state budget");
    // With the default budget the same history is proven linearizable: UNKNOWN came from the
    // budget.
    assertThat(checker.check(big).verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void passedDeadlineMakesRemainingKeysUnknown() {
    AtomicLong now = new AtomicLong();
    // Every clock read advances one second; the timeout is one millisecond.
    CheckerOptions opts =
        CheckerOptions.defaults()
            .withClock(() -> now.addAndGet(1_000_000_000L))
            .withTimeout(Duration.ofMillis(1));
    Hist h = new Hist();
    h.key("a").write(0, "1", 0, 1).read(1, "1", 2, 3);
    h.key("b").write(0, "1", 0, 1).read(1, "1", 2, 3);
    CheckResult r = new LinearizabilityChecker(opts).check(h.build());
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.perKey().values()).allSatisfy(k -> assertThat(k.reason()).contains("deadline"));
  }

  @Test
  void stepBudgetIsSharedByTheWholeCheckAndGivesTheSameVerdictAtAnySpeed() {
    History big = RandomRegisterHistories.generate(7, new RandomRegisterHistories.Shape(8, 6, 300));
    CheckResult full =
        new LinearizabilityChecker(CheckerOptions.deterministic(50_000_000)).check(big);
    assertThat(full.verdict()).isEqualTo(Verdict.LINEARIZABLE);
    // A budget that runs out part-way: the keys checked first pass, the rest are UNKNOWN.
    CheckerOptions small = CheckerOptions.deterministic(250);
    AtomicLong slow = new AtomicLong();
    CheckResult fast = new LinearizabilityChecker(small).check(big);
    CheckResult onSlowMachine =
        new LinearizabilityChecker(small.withClock(() -> slow.addAndGet(3_600_000_000_000L)))
            .check(big);
    assertThat(fast.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(fast.perKey().values())
        .anySatisfy(k -> assertThat(k.verdict()).isEqualTo(Verdict.LINEARIZABLE))
        .anySatisfy(k -> assertThat(k.reason()).contains("search step budget of 250 exhausted"));
    assertThat(onSlowMachine.perKey()).isEqualTo(fast.perKey());
  }

  @Test
  void deterministicBudgetIgnoresTheClock() {
    AtomicLong now = new AtomicLong();
    // Every clock read advances an hour: a wall-clock budget gives up, the deterministic one not.
    Hist h = new Hist();
    h.key("a").write(0, "1", 0, 1).read(1, "1", 2, 3);
    h.key("b").write(0, "1", 0, 1).read(1, "1", 2, 3);
    java.util.function.LongSupplier hours = () -> now.addAndGet(3_600_000_000_000L);
    CheckResult wall =
        new LinearizabilityChecker(CheckerOptions.defaults().withClock(hours)).check(h.build());
    CheckResult steps =
        new LinearizabilityChecker(CheckerOptions.deterministic(1_000).withClock(hours))
            .check(h.build());
    assertThat(wall.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(steps.verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void violationWinsOverUnknown() {
    assertThat(Verdict.combine(Verdict.UNKNOWN, Verdict.NOT_LINEARIZABLE))
        .isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(Verdict.combine(Verdict.LINEARIZABLE, Verdict.UNKNOWN)).isEqualTo(Verdict.UNKNOWN);
  }

  // --- minimal failing sub-history ----------------------------------------------------------

  @Test
  void witnessOfBuriedStaleReadIsSmallAndStillNotLinearizable() {
    Hist h = new Hist();
    long t = 0;
    // 30 linearizable operations with concurrency, then a stale read, then 30 more.
    for (int i = 0; i < 15; i++, t += 10) {
      h.write(i % 3, "a" + i, t, t + 6).read((i + 1) % 3, "a" + i, t + 7, t + 8);
    }
    h.write(0, "old", t, t + 1).write(1, "new", t + 2, t + 3).read(2, "old", t + 4, t + 5);
    long staleRead = h.lastId();
    t += 10;
    for (int i = 0; i < 15; i++, t += 10) {
      h.write(i % 3, "b" + i, t, t + 6).read((i + 1) % 3, "b" + i, t + 7, t + 8);
    }
    CheckResult r = checker.check(h.build());
    assertThat(r.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    List<Operation> witness = r.key("x").witness();
    assertThat(witness).hasSizeLessThanOrEqualTo(4);
    assertThat(witness).extracting(Operation::id).contains(staleRead);
    assertThat(checker.check(History.of(witness)).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    String report = r.report();
    assertThat(report).contains("not linearizable", "old", "new", "process", "invoke..complete");
  }

  @Test
  void witnessKeepsTheWritesItsReadsObserved() {
    // Removing write "1" would leave a read of a never-written value: a misleading witness.
    Hist h = new Hist().write(0, "1", 0, 1).write(0, "2", 2, 3).read(1, "1", 4, 5);
    List<Operation> witness = checker.check(h.build()).key("x").witness();
    assertThat(witness)
        .extracting(Operation::describe)
        .containsExactly("W(x)=1", "W(x)=2", "R(x)->1");
  }
}
