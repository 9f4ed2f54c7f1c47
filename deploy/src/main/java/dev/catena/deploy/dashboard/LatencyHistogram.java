package dev.catena.deploy.dashboard;

import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A cumulative latency histogram as Prometheus exposes one: for each bucket's upper bound {@code
 * le} (seconds, the last one +Inf), the number of observations at or below it since the process
 * started. Immutable and pure. The difference of two scrapes is the histogram of the interval
 * between them; its quantiles are estimated like PromQL's {@code histogram_quantile}: linear
 * interpolation inside the bucket that holds the rank.
 */
final class LatencyHistogram {
  static final LatencyHistogram EMPTY = new LatencyHistogram(new TreeMap<>());

  private final NavigableMap<Double, Double> cumulative;

  private LatencyHistogram(NavigableMap<Double, Double> cumulative) {
    this.cumulative = cumulative;
  }

  /** A histogram of cumulative counts by upper bound (seconds; +Inf for the last bucket). */
  static LatencyHistogram of(Map<Double, Double> cumulativeByUpperBound) {
    return new LatencyHistogram(new TreeMap<>(cumulativeByUpperBound));
  }

  /** The observations since {@code earlier} (a scrape of the same process, taken before). */
  LatencyHistogram minus(LatencyHistogram earlier) {
    var diff = new TreeMap<Double, Double>();
    cumulative.forEach(
        (le, n) -> diff.put(le, Math.max(0, n - earlier.cumulative.getOrDefault(le, 0.0))));
    return new LatencyHistogram(diff);
  }

  /** All observations (the +Inf bucket; the largest bucket if there is no +Inf). */
  double count() {
    return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
  }

  /**
   * The {@code q}-quantile in seconds, or empty without observations. A rank in the +Inf bucket
   * gives the largest finite bound (as PromQL does).
   */
  OptionalDouble quantile(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("quantile must be in [0, 1], not " + q);
    }
    double total = count();
    if (total <= 0) {
      return OptionalDouble.empty();
    }
    double rank = q * total;
    double lowerBound = 0;
    double below = 0;
    for (var e : cumulative.entrySet()) {
      double upper = e.getKey();
      double n = e.getValue();
      if (n >= rank && n > below) {
        if (Double.isInfinite(upper)) {
          return OptionalDouble.of(lowerBound);
        }
        return OptionalDouble.of(lowerBound + (upper - lowerBound) * (rank - below) / (n - below));
      }
      lowerBound = upper;
      below = n;
    }
    return OptionalDouble.of(lowerBound);
  }
}
