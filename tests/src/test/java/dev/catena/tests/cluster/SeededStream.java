package dev.catena.tests.cluster;

import java.io.InputStream;

/**
 * A deterministic pseudo-random byte stream of a given length: word {@code i} (8 bytes, little
 * endian) is SplitMix64's output for index {@code i} under {@code seed}. Lets tests stream objects
 * far larger than the heap and regenerate them for comparison.
 */
public final class SeededStream extends InputStream {
  private final long seed;
  private final long length;
  private long pos;

  /** {@code length} bytes of the sequence of {@code seed}, from its start. */
  public SeededStream(long seed, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    this.seed = seed;
    this.length = length;
  }

  static long word(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static byte at(long seed, long p) {
    return (byte) (word(seed, p >>> 3) >>> ((p & 7) * 8));
  }

  @Override
  public int read() {
    return pos < length ? at(seed, pos++) & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - pos);
    int i = 0;
    while (i < n && (pos & 7) != 0) {
      b[off + i++] = at(seed, pos++);
    }
    while (n - i >= 8) {
      long w = word(seed, pos >>> 3);
      for (int k = 0; k < 8; k++) {
        b[off + i + k] = (byte) (w >>> (k * 8));
      }
      i += 8;
      pos += 8;
    }
    while (i < n) {
      b[off + i++] = at(seed, pos++);
    }
    return n;
  }
}
