package dev.catena.tests.linearizability;

import dev.catena.tests.history.History;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-key linearizability checker for a read/write/delete register whose initial state is absent.
 *
 * <p>Linearizability is compositional (Herlihy &amp; Wing, "Linearizability: a correctness
 * condition for concurrent objects", TOPLAS 1990, Theorem 1), so the history is partitioned by key
 * and each key is checked alone, as Porcupine does with its partition functions. Each key runs the
 * Wing &amp; Gong search with Lowe's memoisation ({@link RegisterSearch}). FAIL operations are
 * dropped; INFO operations may take effect at any point after their invocation, or never.
 *
 * <p>A key whose search exceeds {@link CheckerOptions#maxStatesPerKey()}, the check's {@link
 * CheckerOptions#maxSearchSteps()} or the overall {@link CheckerOptions#timeout()} is UNKNOWN,
 * never LINEARIZABLE. The first two are deterministic; {@link CheckerOptions#deterministic} has no
 * wall-clock limit at all, so a history gets the same verdict on any machine. For a violating key
 * the result carries a minimal failing sub-history ({@link HistoryShrinker}). Stateless and
 * thread-safe.
 */
public final class LinearizabilityChecker {
  private final CheckerOptions options;

  /** A checker with {@link CheckerOptions#defaults()}. */
  public LinearizabilityChecker() {
    this(CheckerOptions.defaults());
  }

  /** A checker with the given options. */
  public LinearizabilityChecker(CheckerOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Checks every key of the history. */
  public CheckResult check(History history) {
    long start = options.clock().getAsLong();
    long timeoutNanos = saturatedNanos(options);
    long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + timeoutNanos;
    Budget budget =
        new Budget(options.maxStatesPerKey(), options.maxSearchSteps(), options.clock(), deadline);
    Map<String, List<Operation>> byKey = history.byKey();
    List<KeyResult> results = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
      results.add(checkKey(e.getKey(), e.getValue(), budget));
    }
    // Shrink only after every key has its verdict, so shrinking never starves another key.
    if (options.shrink()) {
      results.replaceAll(
          r ->
              r.verdict() != Verdict.NOT_LINEARIZABLE
                  ? r
                  : new KeyResult(
                      r.key(),
                      r.verdict(),
                      r.operations(),
                      r.statesExplored(),
                      r.reason(),
                      new HistoryShrinker(budget, options.maxShrinkChecks())
                          .shrink(byKey.get(r.key()))));
    }
    return new CheckResult(results);
  }

  private static KeyResult checkKey(String key, List<Operation> ops, Budget budget) {
    if (budget.stepsExhausted()) {
      String reason = "search step budget of " + budget.maxSteps() + " exhausted";
      return new KeyResult(key, Verdict.UNKNOWN, ops.size(), 0, reason, List.of());
    }
    if (budget.deadlinePassed()) {
      return new KeyResult(key, Verdict.UNKNOWN, ops.size(), 0, "deadline passed", List.of());
    }
    RegisterSearch.Outcome outcome = RegisterSearch.run(ops, budget);
    List<Operation> witness =
        outcome.verdict() == Verdict.NOT_LINEARIZABLE ? RegisterSearch.effective(ops) : List.of();
    return new KeyResult(
        key, outcome.verdict(), ops.size(), outcome.statesExplored(), outcome.reason(), witness);
  }

  static long saturatedNanos(CheckerOptions o) {
    try {
      return o.timeout().toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
