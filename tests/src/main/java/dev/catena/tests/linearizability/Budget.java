package dev.catena.tests.linearizability;

import java.util.function.LongSupplier;

/**
 * Limits for one search: a maximum number of memoised states and an absolute deadline on an
 * injected monotonic nanosecond clock. Immutable.
 *
 * @param maxStates maximum number of distinct (linearized set, register state) pairs explored
 * @param clock monotonic nanoseconds
 * @param deadlineNanos absolute deadline on {@code clock}; {@link Long#MAX_VALUE} for none
 */
record Budget(long maxStates, LongSupplier clock, long deadlineNanos) {
  boolean deadlinePassed() {
    return deadlineNanos != Long.MAX_VALUE && clock.getAsLong() - deadlineNanos >= 0;
  }
}
