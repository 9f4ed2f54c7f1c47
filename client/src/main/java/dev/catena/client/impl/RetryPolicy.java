package dev.catena.client.impl;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * When to retry a failed attempt (pure): capped exponential back-off with full jitter, a bound on
 * attempts and a total deadline. Attempt {@code n} (1-based count of attempts made so far) waits a
 * uniformly random time in {@code [0, min(maxBackoff, baseBackoff * 2^(n-1))]}, never past the
 * deadline; after {@code maxAttempts} attempts, or once the deadline has passed, it gives up.
 *
 * @param maxAttempts attempts in total, at least 1
 * @param totalDeadline time budget of the whole operation, measured from its first attempt
 * @param baseBackoff first back-off cap
 * @param maxBackoff largest back-off cap
 * @param attemptTimeout deadline of one attempt (clipped to what is left of the total)
 */
public record RetryPolicy(
    int maxAttempts,
    Duration totalDeadline,
    Duration baseBackoff,
    Duration maxBackoff,
    Duration attemptTimeout) {
  /** 40 attempts, 30 s in total, back-off 20 ms doubling to 1 s, 10 s per attempt. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          40,
          Duration.ofSeconds(30),
          Duration.ofMillis(20),
          Duration.ofSeconds(1),
          Duration.ofSeconds(10));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (totalDeadline.isNegative()
        || totalDeadline.isZero()
        || baseBackoff.isNegative()
        || maxBackoff.compareTo(baseBackoff) < 0
        || attemptTimeout.isNegative()
        || attemptTimeout.isZero()) {
      throw new IllegalArgumentException("invalid durations in " + this);
    }
  }

  /** A copy with another total deadline. */
  public RetryPolicy withTotalDeadline(Duration d) {
    return new RetryPolicy(maxAttempts, d, baseBackoff, maxBackoff, attemptTimeout);
  }

  /** A copy with another attempt bound. */
  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, totalDeadline, baseBackoff, maxBackoff, attemptTimeout);
  }

  /**
   * The delay before the next attempt, or empty to give up.
   *
   * @param attemptsMade attempts made so far (at least 1)
   * @param elapsedNanos time since the first attempt started
   * @param random source of jitter
   */
  public OptionalLong nextDelayNanos(int attemptsMade, long elapsedNanos, RandomGenerator random) {
    long remaining = totalDeadline.toNanos() - elapsedNanos;
    if (attemptsMade >= maxAttempts || remaining <= 0) {
      return OptionalLong.empty();
    }
    long cap = baseBackoff.toNanos() << Math.min(attemptsMade - 1, 30);
    if (cap < 0 || cap > maxBackoff.toNanos()) {
      cap = maxBackoff.toNanos();
    }
    long delay = cap == 0 ? 0 : random.nextLong(cap + 1);
    return OptionalLong.of(Math.min(delay, remaining));
  }

  /** The deadline of the next attempt given the time already spent. */
  public long attemptTimeoutNanos(long elapsedNanos) {
    long remaining = totalDeadline.toNanos() - elapsedNanos;
    return Math.max(1, Math.min(attemptTimeout.toNanos(), remaining));
  }
}
