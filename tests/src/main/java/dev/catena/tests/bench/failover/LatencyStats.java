package dev.catena.tests.bench.failover;

import java.util.Collection;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a set of durations in milliseconds, through an HdrHistogram (3 significant digits,
 * 1 ms .. 1 hour).
 */
public record LatencyStats(long count, long p50Millis, long p99Millis, long maxMillis) {
  /**
   * Summarises {@code millis}.
   *
   * @throws IllegalArgumentException if a value is negative or above one hour
   */
  public static LatencyStats of(Collection<Long> millis) {
    var h = new Histogram(1, 3_600_000, 3);
    for (long v : millis) {
      if (v < 0 || v > 3_600_000) {
        throw new IllegalArgumentException("duration out of range: " + v + " ms");
      }
      h.recordValue(Math.max(1, v));
    }
    if (h.getTotalCount() == 0) {
      return new LatencyStats(0, 0, 0, 0);
    }
    return new LatencyStats(
        h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
  }
}
