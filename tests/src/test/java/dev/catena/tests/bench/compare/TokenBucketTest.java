package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  @Test
  void queuedReservationsWaitOneIntervalEach() {
    var b = new TokenBucket(1000, 1, now::get); // 1 ms per token
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isEqualTo(1_000_000);
    assertThat(b.reserve()).isEqualTo(2_000_000);
    now.addAndGet(2_000_000);
    assertThat(b.reserve()).isEqualTo(1_000_000);
  }

  @Test
  void idleTimeBuildsUpAtMostTheBurst() {
    var b = new TokenBucket(100, 3, now::get); // 10 ms per token, burst 3
    now.addAndGet(10_000_000_000L);
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isZero();
    assertThat(b.reserve()).isEqualTo(10_000_000);
  }

  @Test
  void longRunRateNeverExceedsTheLimit() {
    var b = new TokenBucket(500, 1, now::get);
    long start = now.get();
    long lastAllowed = start;
    for (int i = 0; i < 10_000; i++) {
      long wait = b.reserve();
      lastAllowed = now.get() + wait;
      now.addAndGet(100_000); // callers arrive every 0.1 ms, 20x faster than the limit
    }
    double seconds = (lastAllowed - start) / 1e9;
    // 10 000 tokens span 9 999 intervals.
    assertThat(9_999 / seconds).isLessThanOrEqualTo(500.0 + 1e-6);
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(10, 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
