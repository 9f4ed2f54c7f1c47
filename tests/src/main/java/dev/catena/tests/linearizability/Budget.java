package dev.catena.tests.linearizability;

import java.util.function.LongSupplier;

/**
 * Limits for one check: a maximum number of memoised states per key search, a number of search
 * steps shared by every search of the check (shrinking included), and an absolute deadline on an
 * injected monotonic nanosecond clock. The state and step limits are deterministic: the same
 * history gets the same verdict on any machine. Not thread-safe (one check at a time).
 */
final class Budget {
  private final long maxStates;
  private final long maxSteps;
  private final LongSupplier clock;
  private final long deadlineNanos;
  private long steps;

  /**
   * @param maxStates maximum number of distinct (linearized set, register state) pairs one search
   *     explores
   * @param maxSteps search steps (list entries visited) for the whole check; {@link Long#MAX_VALUE}
   *     for none
   * @param clock monotonic nanoseconds
   * @param deadlineNanos absolute deadline on {@code clock}; {@link Long#MAX_VALUE} for none
   */
  Budget(long maxStates, long maxSteps, LongSupplier clock, long deadlineNanos) {
    this.maxStates = maxStates;
    this.maxSteps = maxSteps;
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
  }

  long maxStates() {
    return maxStates;
  }

  long maxSteps() {
    return maxSteps;
  }

  /** Takes one search step; false once the check's step budget is spent. */
  boolean step() {
    if (steps >= maxSteps) {
      return false;
    }
    steps++;
    return true;
  }

  /** True once the check's step budget is spent. */
  boolean stepsExhausted() {
    return steps >= maxSteps;
  }

  boolean deadlinePassed() {
    return deadlineNanos != Long.MAX_VALUE && clock.getAsLong() - deadlineNanos >= 0;
  }
}
