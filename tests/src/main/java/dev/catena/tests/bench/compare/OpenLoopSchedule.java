package dev.catena.tests.bench.compare;

/**
 * The intended start times of an open-loop load at a fixed offered rate: request {@code i} is due
 * at {@code start + i / rate}, whatever happened to earlier requests. Latency is measured from the
 * intended start, not from the moment the request was actually sent, so that a stalled system is
 * charged for the requests it delayed (no coordinated omission, as in wrk2 and HdrHistogram's
 * guidance). Pure: times are plain nanosecond values supplied by the caller.
 */
public final class OpenLoopSchedule {
  private final long startNanos;
  private final double ratePerSecond;

  /**
   * @param startNanos the intended start of request 0 (a {@link System#nanoTime()} value)
   * @param ratePerSecond offered requests per second, positive
   */
  public OpenLoopSchedule(long startNanos, double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
    }
    this.startNanos = startNanos;
    this.ratePerSecond = ratePerSecond;
  }

  /** When request {@code i} (from 0) is due. */
  public long intendedStartNanos(long i) {
    if (i < 0) {
      throw new IllegalArgumentException("negative request number " + i);
    }
    return startNanos + Math.round(i * 1e9 / ratePerSecond);
  }

  /** How many requests are due in the first {@code durationNanos} (requests 0 .. n-1). */
  public long countWithin(long durationNanos) {
    if (durationNanos <= 0) {
      return 0;
    }
    return (long) Math.ceil(durationNanos * ratePerSecond / 1e9);
  }

  /** Latency of request {@code i} completed at {@code completedNanos}, from its intended start. */
  public long latencyNanos(long i, long completedNanos) {
    return Math.max(0, completedNanos - intendedStartNanos(i));
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }
}
