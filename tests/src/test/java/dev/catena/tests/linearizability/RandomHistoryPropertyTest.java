package dev.catena.tests.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryJson;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded property tests. Histories produced by a real sequential register under random concurrency
 * are linearizable by construction (each op takes effect at one instant inside its interval:
 * Herlihy &amp; Wing 1990, definition of linearization points), so the checker must say
 * LINEARIZABLE; with one injected stale read it must say NOT_LINEARIZABLE, or agree with a
 * brute-force reference built straight from the definition when the injection happens to be legal.
 * The last property compares the checker (Wing &amp; Gong / Lowe / Porcupine search) with the
 * reference on arbitrary small histories, linearizable or not.
 */
class RandomHistoryPropertyTest {
  private static final RandomRegisterHistories.Shape SHAPE =
      new RandomRegisterHistories.Shape(4, 3, 45);
  private static final LinearizabilityChecker CHECKER = new LinearizabilityChecker();

  static LongStream seeds() {
    return LongStream.range(0, 250);
  }

  static LongStream manySeeds() {
    return LongStream.range(0, 1500);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void registerHistoriesAreLinearizable(long seed) {
    History h = RandomRegisterHistories.generate(seed, SHAPE);
    CheckResult r = CHECKER.check(h);
    assertThat(r.verdict()).as("seed %d\n%s", seed, r.report()).isEqualTo(Verdict.LINEARIZABLE);
    for (Map.Entry<String, List<Operation>> e : h.byKey().entrySet()) {
      assertThat(ReferenceChecker.isLinearizable(e.getValue()))
          .as("seed %d key %s: reference", seed, e.getKey())
          .isTrue();
    }
    // Saved histories re-check to the same verdict.
    History reloaded = HistoryJson.fromJsonLines(HistoryJson.toJsonLines(h));
    assertThat(reloaded).as("seed %d", seed).isEqualTo(h);
  }

  /** The injected read and whether it is a definite violation. */
  record Injection(History history, Operation read, boolean definite) {}

  /**
   * Makes one OK read return the value of an OK write that completed before the read started.
   * Prefers a definite stale read: some other OK write or delete happened entirely between that
   * write and the read (values are unique, so no other write can explain the read).
   */
  static Optional<Injection> injectStaleRead(History h, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eedL);
    List<Operation> ops = h.operations();
    List<Operation[]> definite = new ArrayList<>();
    List<Operation[]> possible = new ArrayList<>();
    for (Operation r : ops) {
      if (r.type() != OpType.READ || r.status() != OpStatus.OK) {
        continue;
      }
      for (Operation w : ops) {
        if (w.type() != OpType.WRITE
            || w.status() != OpStatus.OK
            || !w.key().equals(r.key())
            || w.completeNanos() >= r.invokeNanos()
            || w.value().equals(r.output())) {
          continue;
        }
        boolean overwritten =
            ops.stream()
                .anyMatch(
                    x ->
                        x.key().equals(r.key())
                            && x.type() != OpType.READ
                            && x.status() == OpStatus.OK
                            && x.invokeNanos() > w.completeNanos()
                            && x.completeNanos() < r.invokeNanos());
        (overwritten ? definite : possible).add(new Operation[] {r, w});
      }
    }
    List<Operation[]> pool = definite.isEmpty() ? possible : definite;
    if (pool.isEmpty()) {
      return Optional.empty();
    }
    Operation[] pick = pool.get(rnd.nextInt(pool.size()));
    Operation stale = pick[0].withOutput(pick[1].value());
    List<Operation> out = new ArrayList<>(ops);
    out.set(ops.indexOf(pick[0]), stale);
    return Optional.of(new Injection(History.of(out), stale, !definite.isEmpty()));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void injectedStaleReadIsDetected(long seed) {
    History h = RandomRegisterHistories.generate(seed, SHAPE);
    Optional<Injection> inj = injectStaleRead(h, seed);
    assertThat(inj).as("seed %d: no read to make stale", seed).isPresent();
    Injection in = inj.get();
    CheckResult r = CHECKER.check(in.history());
    List<Operation> keyOps = in.history().byKey().get(in.read().key());
    boolean reference = ReferenceChecker.isLinearizable(keyOps);
    String msg = "seed " + seed + " injected " + in.read() + "\n" + r.report();
    if (in.definite()) {
      assertThat(r.verdict()).as(msg).isEqualTo(Verdict.NOT_LINEARIZABLE);
      assertThat(reference).as("reference, " + msg).isFalse();
    } else {
      assertThat(r.key(in.read().key()).verdict() == Verdict.LINEARIZABLE)
          .as(msg)
          .isEqualTo(reference);
    }
    if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
      List<Operation> w = r.key(in.read().key()).witness();
      assertThat(w).as(msg).isNotEmpty().hasSizeLessThanOrEqualTo(8);
      assertThat(CHECKER.check(History.of(w)).verdict())
          .as(msg)
          .isEqualTo(Verdict.NOT_LINEARIZABLE);
    }
  }

  @Test
  void mostInjectionsAreDefiniteViolations() {
    long definite =
        seeds()
            .mapToObj(s -> injectStaleRead(RandomRegisterHistories.generate(s, SHAPE), s))
            .filter(i -> i.isPresent() && i.get().definite())
            .count();
    assertThat(definite).isGreaterThanOrEqualTo(seeds().count() * 9 / 10);
  }

  /** A random small single-key history, not necessarily linearizable. */
  static History arbitrary(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = 1 + rnd.nextInt(8);
    String[] values = {"a", "b", "c"};
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long invoke = rnd.nextInt(20);
      long complete = invoke + rnd.nextInt(8);
      int s = rnd.nextInt(10);
      OpStatus st = s < 7 ? OpStatus.OK : s < 8 ? OpStatus.FAIL : OpStatus.INFO;
      if (st == OpStatus.INFO && rnd.nextBoolean()) {
        complete = Operation.NOT_COMPLETED;
      }
      int t = rnd.nextInt(10);
      if (t < 4) {
        String out = rnd.nextInt(4) == 0 ? null : values[rnd.nextInt(values.length)];
        ops.add(Operation.read(i, i % 3, "x", out, invoke, complete, st));
      } else if (t < 9) {
        ops.add(
            Operation.write(
                i, i % 3, "x", values[rnd.nextInt(values.length)], invoke, complete, st));
      } else {
        ops.add(Operation.delete(i, i % 3, "x", invoke, complete, st));
      }
    }
    return History.of(ops);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("manySeeds")
  void checkerAgreesWithBruteForceReference(long seed) {
    History h = arbitrary(seed);
    boolean expected = ReferenceChecker.isLinearizable(h.operations());
    CheckResult r = CHECKER.check(h);
    assertThat(r.verdict())
        .as("seed %d\n%s", seed, h.operations())
        .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void arbitraryHistoriesCoverBothVerdicts() {
    long linearizable =
        manySeeds().filter(s -> ReferenceChecker.isLinearizable(arbitrary(s).operations())).count();
    assertThat(linearizable).isBetween(manySeeds().count() / 5, manySeeds().count() * 4 / 5);
  }
}
