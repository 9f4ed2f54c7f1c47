package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipfianGeneratorTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234567})
  void sameSeedSameSequenceAndEveryItemInRange(long seed) {
    var a = new ZipfianGenerator(1000, ZipfianGenerator.YCSB_THETA, seed);
    var b = new ZipfianGenerator(1000, ZipfianGenerator.YCSB_THETA, seed);
    for (int i = 0; i < 10_000; i++) {
      long x = a.next();
      assertThat(x).as("seed %d, draw %d", seed, i).isBetween(0L, 999L).isEqualTo(b.next());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 99})
  void ranksAreSkewedAsZipfPredicts(long seed) {
    int n = 1000;
    var g = new ZipfianGenerator(n, ZipfianGenerator.YCSB_THETA, seed);
    long[] counts = new long[n];
    int draws = 200_000;
    for (int i = 0; i < draws; i++) {
      counts[(int) g.nextRank()]++;
    }
    double zeta = 0;
    for (int i = 1; i <= n; i++) {
      zeta += 1 / Math.pow(i, ZipfianGenerator.YCSB_THETA);
    }
    // P(rank 0) = 1 / zeta(n); the generator's approximation is exact for ranks 0 and 1.
    double expected0 = draws / zeta;
    assertThat((double) counts[0])
        .as("seed %d", seed)
        .isCloseTo(expected0, within(0.05 * expected0));
    double expected1 = draws / zeta / Math.pow(2, ZipfianGenerator.YCSB_THETA);
    assertThat((double) counts[1])
        .as("seed %d", seed)
        .isCloseTo(expected1, within(0.08 * expected1));
    // The top 10% of ranks take most of the draws.
    long top = Arrays.stream(counts, 0, n / 10).sum();
    assertThat(top).as("seed %d", seed).isGreaterThan(draws / 2);
  }

  @Test
  void scramblingSpreadsThePopularItems() {
    var g = new ZipfianGenerator(1000, ZipfianGenerator.YCSB_THETA, 5);
    long[] counts = new long[1000];
    for (int i = 0; i < 100_000; i++) {
      counts[(int) g.next()]++;
    }
    int hottest = 0;
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] > counts[hottest]) {
        hottest = i;
      }
    }
    assertThat(hottest).isNotZero();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new ZipfianGenerator(1, 0.99, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ZipfianGenerator(10, 1.0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
