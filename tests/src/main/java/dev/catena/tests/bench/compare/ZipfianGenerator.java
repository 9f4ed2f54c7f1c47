package dev.catena.tests.bench.compare;

import java.util.SplittableRandom;

/**
 * Item numbers in {@code [0, items)} drawn from a Zipfian distribution, as YCSB's {@code
 * ScrambledZipfianGenerator} does: Gray et al.'s method ("Quickly generating billion-record
 * synthetic databases", SIGMOD 1994) with constant {@code theta}, then the rank scrambled by a
 * fixed 64-bit mix so that the popular items are spread over the keyspace (and so over shards and
 * chains) instead of being the lowest numbers. Deterministic for a given seed. Not thread-safe.
 */
public final class ZipfianGenerator {
  /** YCSB's default skew. */
  public static final double YCSB_THETA = 0.99;

  private final long items;
  private final double theta;
  private final double zetaN;
  private final double alpha;
  private final double eta;
  private final double halfPowTheta;
  private final SplittableRandom random;

  /**
   * @param items keyspace size, at least 2
   * @param theta skew, in {@code (0, 1)}
   * @param seed seed of the uniform source
   */
  public ZipfianGenerator(long items, double theta, long seed) {
    if (items < 2) {
      throw new IllegalArgumentException("need at least 2 items, got " + items);
    }
    if (!(theta > 0 && theta < 1)) {
      throw new IllegalArgumentException("theta must be in (0, 1), got " + theta);
    }
    this.items = items;
    this.theta = theta;
    this.zetaN = zeta(items, theta);
    double zeta2 = zeta(2, theta);
    this.alpha = 1.0 / (1.0 - theta);
    this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
    this.halfPowTheta = 1 + Math.pow(0.5, theta);
    this.random = new SplittableRandom(seed);
  }

  /** The next item, scrambled: in {@code [0, items)}. */
  public long next() {
    // The offset keeps rank 0 from mapping to item 0 (the mix maps 0 to 0).
    return Long.remainderUnsigned(mix(nextRank() + 0x9E3779B97F4A7C15L), items);
  }

  /** The next rank before scrambling: 0 is the most popular item. */
  long nextRank() {
    double u = random.nextDouble();
    double uz = u * zetaN;
    if (uz < 1.0) {
      return 0;
    }
    if (uz < halfPowTheta) {
      return 1;
    }
    long r = (long) (items * Math.pow(eta * u - eta + 1, alpha));
    return Math.min(r, items - 1);
  }

  double theta() {
    return theta;
  }

  private static double zeta(long n, double theta) {
    double sum = 0;
    for (long i = 1; i <= n; i++) {
      sum += 1 / Math.pow(i, theta);
    }
    return sum;
  }

  /** Stafford's variant 13 of MurmurHash3's 64-bit finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
