package dev.catena.client.it;

import java.io.InputStream;

/**
 * A deterministic pseudo-random byte sequence with random access: byte {@code p} is byte {@code p
 * mod 8} of SplitMix64's output for word {@code p / 8} under {@code seed}. Lets tests stream huge
 * objects without holding them in memory and check any range.
 */
final class SeededBytes {
  private SeededBytes() {}

  static long word(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static byte at(long seed, long pos) {
    return (byte) (word(seed, pos >>> 3) >>> ((pos & 7) * 8));
  }

  /** {@code length} bytes starting at {@code from}. */
  static InputStream stream(long seed, long from, long length) {
    return new InputStream() {
      long pos = from;
      final long end = from + length;

      @Override
      public int read() {
        return pos < end ? at(seed, pos++) & 0xFF : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (pos >= end) {
          return -1;
        }
        int n = (int) Math.min(len, end - pos);
        for (int i = 0; i < n; i++) {
          b[off + i] = at(seed, pos++);
        }
        return n;
      }
    };
  }
}
