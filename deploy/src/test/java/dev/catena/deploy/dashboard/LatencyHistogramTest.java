package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyHistogramTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static LatencyHistogram of(double... boundAndCount) {
    var m = new TreeMap<Double, Double>();
    for (int i = 0; i < boundAndCount.length; i += 2) {
      m.put(boundAndCount[i], boundAndCount[i + 1]);
    }
    return LatencyHistogram.of(m);
  }

  @Test
  void interpolatesInsideTheBucketThatHoldsTheRank() {
    // 100 observations: 50 up to 10 ms, 40 more up to 20 ms, 10 more up to 40 ms.
    var h = of(0.010, 50, 0.020, 90, 0.040, 100, INF, 100);
    assertThat(h.count()).isEqualTo(100);
    assertThat(h.quantile(0.5).getAsDouble()).isCloseTo(0.010, within(1e-12));
    assertThat(h.quantile(0.7).getAsDouble()).isCloseTo(0.015, within(1e-12));
    // rank 99 is the 9th of 10 in (20, 40] ms: 20 + 20 * 9/10.
    assertThat(h.quantile(0.99).getAsDouble()).isCloseTo(0.038, within(1e-12));
  }

  @Test
  void aRankInTheInfiniteBucketGivesTheLargestFiniteBound() {
    var h = of(0.010, 50, 0.020, 60, INF, 100);
    assertThat(h.quantile(0.99).getAsDouble()).isEqualTo(0.020);
  }

  @Test
  void noObservationsHaveNoQuantile() {
    assertThat(LatencyHistogram.EMPTY.quantile(0.99)).isEmpty();
    assertThat(of(0.01, 0, INF, 0).quantile(0.99)).isEmpty();
    assertThatThrownBy(() -> LatencyHistogram.EMPTY.quantile(1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDifferenceOfTwoScrapesIsTheIntervalsHistogram() {
    var before = of(0.010, 50, 0.020, 60, INF, 60);
    var after = of(0.010, 50, 0.020, 60, INF, 70); // ten slow calls since
    var interval = after.minus(before);
    assertThat(interval.count()).isEqualTo(10);
    assertThat(interval.quantile(0.5).getAsDouble()).isEqualTo(0.020);
  }

  /**
   * Random latencies put in Micrometer-like buckets: the estimated p99 lies in the bucket that
   * holds the exact p99 (the best a bucketed histogram can promise).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void theP99EstimateLiesInTheBucketOfTheExactP99(long seed) {
    var random = new SplittableRandom(seed);
    double[] bounds = {0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, INF};
    int n = 1 + random.nextInt(5000);
    double[] samples = new double[n];
    var counts = new TreeMap<Double, Double>();
    for (double b : bounds) {
      counts.put(b, 0.0);
    }
    for (int i = 0; i < n; i++) {
      samples[i] = Math.exp(random.nextDouble(Math.log(0.0005), Math.log(0.3)));
      for (double b : bounds) {
        if (samples[i] <= b) {
          counts.merge(b, 1.0, Double::sum); // cumulative: every bound at or above it
        }
      }
    }
    Arrays.sort(samples);
    double exact = samples[(int) Math.ceil(0.99 * n) - 1];
    double estimate = LatencyHistogram.of(counts).quantile(0.99).getAsDouble();
    double upper = counts.ceilingKey(exact);
    Double lower = counts.lowerKey(upper);
    assertThat(estimate)
        .as("seed %d: exact p99 %s", seed, exact)
        .isBetween(lower == null ? 0 : lower, Double.isInfinite(upper) ? 0.256 : upper);
  }
}
