package dev.catena.tests.linearizability;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Budget and behaviour of a {@link LinearizabilityChecker}. Immutable; build with {@link
 * #defaults()} or {@link #deterministic(long)} and the {@code with...} methods.
 *
 * @param maxStatesPerKey memoised states one key's search may explore before it is UNKNOWN
 * @param maxSearchSteps search steps (list entries visited) the whole check may take, shrinking
 *     included; keys not finished when they run out are UNKNOWN. Deterministic, unlike {@code
 *     timeout}: {@link Long#MAX_VALUE} for no limit
 * @param timeout wall budget for the whole check, measured on {@code clock}; keys not finished when
 *     it runs out are UNKNOWN; {@link #NO_TIMEOUT} for none
 * @param clock monotonic nanoseconds (inject a fake one in tests)
 * @param shrink whether to compute a minimal failing sub-history for each violating key
 * @param maxShrinkChecks maximum number of sub-history searches one key's shrinking may run
 */
public record CheckerOptions(
    long maxStatesPerKey,
    long maxSearchSteps,
    Duration timeout,
    LongSupplier clock,
    boolean shrink,
    int maxShrinkChecks) {

  /** No wall-clock limit: the check never reads its clock to decide a verdict. */
  public static final Duration NO_TIMEOUT = Duration.ofSeconds(Long.MAX_VALUE);

  /** Validates the options. */
  public CheckerOptions {
    if (maxStatesPerKey < 1 || maxSearchSteps < 1 || maxShrinkChecks < 0) {
      throw new IllegalArgumentException("budgets must be positive");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout");
    }
  }

  /**
   * 500 000 states per key, no step limit, 60 s, {@link System#nanoTime}, shrinking on, 2 000
   * shrink checks. For checks of real runs, where a wall-clock limit is what the operator wants.
   */
  public static CheckerOptions defaults() {
    return new CheckerOptions(
        500_000, Long.MAX_VALUE, Duration.ofSeconds(60), System::nanoTime, true, 2_000);
  }

  /**
   * Deterministic budget: {@code maxSearchSteps} for the whole check and 500 000 states per key, no
   * wall-clock limit, shrinking on. The same history gets the same verdict (and witness) on any
   * machine at any load: what a replayable simulation needs.
   */
  public static CheckerOptions deterministic(long maxSearchSteps) {
    return new CheckerOptions(500_000, maxSearchSteps, NO_TIMEOUT, System::nanoTime, true, 2_000);
  }

  /** Copy with another per-key state budget. */
  public CheckerOptions withMaxStatesPerKey(long max) {
    return new CheckerOptions(max, maxSearchSteps, timeout, clock, shrink, maxShrinkChecks);
  }

  /** Copy with another step budget for the whole check. */
  public CheckerOptions withMaxSearchSteps(long max) {
    return new CheckerOptions(maxStatesPerKey, max, timeout, clock, shrink, maxShrinkChecks);
  }

  /** Copy with another overall timeout. */
  public CheckerOptions withTimeout(Duration t) {
    return new CheckerOptions(maxStatesPerKey, maxSearchSteps, t, clock, shrink, maxShrinkChecks);
  }

  /** Copy with another clock. */
  public CheckerOptions withClock(LongSupplier c) {
    return new CheckerOptions(maxStatesPerKey, maxSearchSteps, timeout, c, shrink, maxShrinkChecks);
  }

  /** Copy with shrinking switched on or off. */
  public CheckerOptions withShrink(boolean s) {
    return new CheckerOptions(maxStatesPerKey, maxSearchSteps, timeout, clock, s, maxShrinkChecks);
  }
}
