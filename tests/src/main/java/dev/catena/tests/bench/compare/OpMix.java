package dev.catena.tests.bench.compare;

import java.util.SplittableRandom;

/**
 * The operations of one phase, drawn in advance from a seed: operation {@code i} reads ({@code
 * reads[i]}) or writes key number {@code keys[i]}. Keys are uniform over the keyspace, or Zipfian
 * for the YCSB workloads; an operation is a read with the workload's read fraction. Pure.
 */
public record OpMix(int[] keys, boolean[] reads) {
  /** {@code count} operations of {@code w} over {@code keyspace} keys. */
  public static OpMix generate(Workload w, int count, int keyspace, long seed) {
    var rnd = new SplittableRandom(seed);
    int[] keys = new int[count];
    boolean[] reads = new boolean[count];
    ZipfianGenerator zipf =
        w.zipfian() && keyspace >= 2
            ? new ZipfianGenerator(keyspace, ZipfianGenerator.YCSB_THETA, rnd.nextLong())
            : null;
    for (int i = 0; i < count; i++) {
      keys[i] = zipf != null ? (int) zipf.next() : rnd.nextInt(keyspace);
      reads[i] = w.readFraction() >= 1.0 || rnd.nextDouble() < w.readFraction();
    }
    return new OpMix(keys, reads);
  }

  /** Number of reads. */
  public long readCount() {
    long n = 0;
    for (boolean r : reads) {
      if (r) {
        n++;
      }
    }
    return n;
  }
}
