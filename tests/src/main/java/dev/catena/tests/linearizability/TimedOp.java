package dev.catena.tests.linearizability;

/**
 * One operation of a history checked by {@link ModelChecker}: what it was and returned, when it was
 * invoked and when it completed, on one monotonic clock. An operation whose outcome is unknown (the
 * client crashed or timed out) has {@code completeNanos == Long.MAX_VALUE}: it may take effect at
 * any point after its invocation, or never.
 *
 * @param <C> the operation with its result
 */
public record TimedOp<C>(C op, long invokeNanos, long completeNanos) {
  /** Completion time of an operation whose outcome is unknown. */
  public static final long UNKNOWN = Long.MAX_VALUE;

  public TimedOp {
    if (completeNanos < invokeNanos) {
      throw new IllegalArgumentException("completes before it is invoked: " + op);
    }
  }

  /** True if the outcome is unknown. */
  public boolean unknown() {
    return completeNanos == UNKNOWN;
  }
}
