package dev.catena.tests.bench.compare;

import java.util.function.LongSupplier;

/**
 * A token bucket that hands out reservations: {@link #reserve()} takes one token and says how long
 * the caller must wait before using it (0 if a token is available now). Tokens accrue at {@code
 * ratePerSecond} up to {@code burst}; reservations beyond the available tokens queue up in time
 * (the n-th waiting caller is told to wait n intervals), so the long-run rate never exceeds the
 * configured one. The clock is injected (nanoseconds, monotonic). Thread-safe.
 */
public final class TokenBucket {
  private final LongSupplier clock;
  private final long intervalNanos;
  private final long burstNanos;
  private long nextFreeNanos;

  /**
   * @param ratePerSecond tokens per second, positive
   * @param burst tokens that may accumulate while idle, at least 1
   * @param clock monotonic nanoseconds (e.g. {@code System::nanoTime})
   */
  public TokenBucket(double ratePerSecond, int burst, LongSupplier clock) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.clock = clock;
    this.intervalNanos = Math.max(1, Math.round(1e9 / ratePerSecond));
    this.burstNanos = (burst - 1) * intervalNanos;
    this.nextFreeNanos = clock.getAsLong() - burstNanos;
  }

  /** Takes one token; returns the nanoseconds to wait before it may be used (0 = now). */
  public synchronized long reserve() {
    long now = clock.getAsLong();
    long at = Math.max(nextFreeNanos, now - burstNanos);
    nextFreeNanos = at + intervalNanos;
    return Math.max(0, at - now);
  }
}
