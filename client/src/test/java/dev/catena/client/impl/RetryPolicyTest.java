package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Capped exponential back-off with full jitter, bounded attempts and a total deadline. */
class RetryPolicyTest {
  static LongStream seeds() {
    return LongStream.range(0, 100);
  }

  private final RetryPolicy policy =
      new RetryPolicy(
          10,
          Duration.ofSeconds(30),
          Duration.ofMillis(20),
          Duration.ofSeconds(1),
          Duration.ofSeconds(10));

  @ParameterizedTest
  @MethodSource("seeds")
  void delaysStayWithinTheirCaps(long seed) {
    var rnd = new SplittableRandom(seed);
    for (int attempt = 1; attempt < 10; attempt++) {
      long cap = Math.min(1_000_000_000L, 20_000_000L << (attempt - 1));
      long d = policy.nextDelayNanos(attempt, 0, rnd).orElseThrow();
      assertThat(d).as("seed %d attempt %d", seed, attempt).isBetween(0L, cap);
    }
  }

  @Test
  void sameSeedSameDelays() {
    var a = new SplittableRandom(5);
    var b = new SplittableRandom(5);
    for (int i = 1; i < 10; i++) {
      assertThat(policy.nextDelayNanos(i, 0, a)).isEqualTo(policy.nextDelayNanos(i, 0, b));
    }
  }

  @Test
  void givesUpAfterMaxAttemptsOrDeadline() {
    var rnd = new SplittableRandom(1);
    assertThat(policy.nextDelayNanos(10, 0, rnd)).isEqualTo(OptionalLong.empty());
    assertThat(policy.nextDelayNanos(2, Duration.ofSeconds(30).toNanos(), rnd)).isEmpty();
    long almost = Duration.ofSeconds(30).toNanos() - 5;
    assertThat(policy.nextDelayNanos(9, almost, rnd).orElseThrow()).isLessThanOrEqualTo(5);
  }

  @Test
  void attemptTimeoutIsClippedToTheRemainingBudget() {
    assertThat(policy.attemptTimeoutNanos(0)).isEqualTo(Duration.ofSeconds(10).toNanos());
    assertThat(policy.attemptTimeoutNanos(Duration.ofSeconds(25).toNanos()))
        .isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(policy.attemptTimeoutNanos(Duration.ofSeconds(31).toNanos())).isEqualTo(1);
  }
}
