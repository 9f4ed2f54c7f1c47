package dev.catena.sharding;

/**
 * XXH64, the 64-bit xxHash algorithm (Yann Collet), implemented from its specification.
 *
 * <p>Contract: {@link #hash(byte[], int, int, long)} returns exactly the value of the reference
 * implementation's {@code XXH64(input, length, seed)} for every input and seed, on every JVM and
 * platform (input is read little-endian). The test suite checks this against the reference sanity
 * vectors. This class is stateless and thread-safe.
 */
public final class XxHash64 {
  private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
  private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
  private static final long PRIME64_3 = 0x165667B19E3779F9L;
  private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
  private static final long PRIME64_5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** XXH64 of the whole array with the given seed. */
  public static long hash(byte[] data, long seed) {
    return hash(data, 0, data.length, seed);
  }

  /**
   * XXH64 of {@code data[offset, offset + length)} with the given seed.
   *
   * @throws IndexOutOfBoundsException if the range is not inside the array
   */
  public static long hash(byte[] data, int offset, int length, long seed) {
    java.util.Objects.checkFromIndexSize(offset, length, data.length);
    final int end = offset + length;
    int p = offset;
    long h;
    if (length >= 32) {
      long v1 = seed + PRIME64_1 + PRIME64_2;
      long v2 = seed + PRIME64_2;
      long v3 = seed;
      long v4 = seed - PRIME64_1;
      final int limit = end - 32;
      do {
        v1 = round(v1, readLong(data, p));
        v2 = round(v2, readLong(data, p + 8));
        v3 = round(v3, readLong(data, p + 16));
        v4 = round(v4, readLong(data, p + 24));
        p += 32;
      } while (p <= limit);
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = mergeRound(h, v1);
      h = mergeRound(h, v2);
      h = mergeRound(h, v3);
      h = mergeRound(h, v4);
    } else {
      h = seed + PRIME64_5;
    }
    h += length;
    while (p + 8 <= end) {
      h ^= round(0, readLong(data, p));
      h = Long.rotateLeft(h, 27) * PRIME64_1 + PRIME64_4;
      p += 8;
    }
    if (p + 4 <= end) {
      h ^= (readInt(data, p) & 0xFFFFFFFFL) * PRIME64_1;
      h = Long.rotateLeft(h, 23) * PRIME64_2 + PRIME64_3;
      p += 4;
    }
    while (p < end) {
      h ^= (data[p] & 0xFFL) * PRIME64_5;
      h = Long.rotateLeft(h, 11) * PRIME64_1;
      p++;
    }
    return avalanche(h);
  }

  private static long round(long acc, long input) {
    acc += input * PRIME64_2;
    acc = Long.rotateLeft(acc, 31);
    return acc * PRIME64_1;
  }

  private static long mergeRound(long acc, long val) {
    acc ^= round(0, val);
    return acc * PRIME64_1 + PRIME64_4;
  }

  private static long avalanche(long h) {
    h ^= h >>> 33;
    h *= PRIME64_2;
    h ^= h >>> 29;
    h *= PRIME64_3;
    h ^= h >>> 32;
    return h;
  }

  private static long readLong(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24
        | (b[i + 4] & 0xFFL) << 32
        | (b[i + 5] & 0xFFL) << 40
        | (b[i + 6] & 0xFFL) << 48
        | (b[i + 7] & 0xFFL) << 56;
  }

  private static int readInt(byte[] b, int i) {
    return (b[i] & 0xFF)
        | (b[i + 1] & 0xFF) << 8
        | (b[i + 2] & 0xFF) << 16
        | (b[i + 3] & 0xFF) << 24;
  }
}
