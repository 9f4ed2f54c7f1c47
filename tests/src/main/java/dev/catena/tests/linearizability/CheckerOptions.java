package dev.catena.tests.linearizability;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Budget and behaviour of a {@link LinearizabilityChecker}. Immutable; build with {@link
 * #defaults()} and the {@code with...} methods.
 *
 * @param maxStatesPerKey memoised states one key's search may explore before it is UNKNOWN
 * @param timeout wall budget for the whole check, measured on {@code clock}; keys not finished when
 *     it runs out are UNKNOWN
 * @param clock monotonic nanoseconds (inject a fake one in tests)
 * @param shrink whether to compute a minimal failing sub-history for each violating key
 * @param maxShrinkChecks maximum number of sub-history searches one key's shrinking may run
 */
public record CheckerOptions(
    long maxStatesPerKey,
    Duration timeout,
    LongSupplier clock,
    boolean shrink,
    int maxShrinkChecks) {

  /** Validates the options. */
  public CheckerOptions {
    if (maxStatesPerKey < 1 || maxShrinkChecks < 0) {
      throw new IllegalArgumentException("budgets must be positive");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout");
    }
  }

  /** 500 000 states per key, 60 s, {@link System#nanoTime}, shrinking on, 2 000 shrink checks. */
  public static CheckerOptions defaults() {
    return new CheckerOptions(500_000, Duration.ofSeconds(60), System::nanoTime, true, 2_000);
  }

  /** Copy with another per-key state budget. */
  public CheckerOptions withMaxStatesPerKey(long max) {
    return new CheckerOptions(max, timeout, clock, shrink, maxShrinkChecks);
  }

  /** Copy with another overall timeout. */
  public CheckerOptions withTimeout(Duration t) {
    return new CheckerOptions(maxStatesPerKey, t, clock, shrink, maxShrinkChecks);
  }

  /** Copy with another clock. */
  public CheckerOptions withClock(LongSupplier c) {
    return new CheckerOptions(maxStatesPerKey, timeout, c, shrink, maxShrinkChecks);
  }

  /** Copy with shrinking switched on or off. */
  public CheckerOptions withShrink(boolean s) {
    return new CheckerOptions(maxStatesPerKey, timeout, clock, s, maxShrinkChecks);
  }
}
