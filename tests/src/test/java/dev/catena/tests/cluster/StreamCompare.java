package dev.catena.tests.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Compares two streams block by block without holding either in memory. */
final class StreamCompare {
  private StreamCompare() {}

  /**
   * Returns -1 if both streams hold the same bytes, else the offset of the first difference (or of
   * the end of the shorter stream).
   */
  static long firstDifference(InputStream actual, InputStream expected) throws IOException {
    byte[] a = new byte[1 << 16];
    byte[] e = new byte[1 << 16];
    long offset = 0;
    while (true) {
      int na = actual.readNBytes(a, 0, a.length);
      int ne = expected.readNBytes(e, 0, e.length);
      int n = Math.min(na, ne);
      int mismatch = Arrays.mismatch(a, 0, n, e, 0, n);
      if (mismatch >= 0) {
        return offset + mismatch;
      }
      if (na != ne) {
        return offset + n;
      }
      if (na == 0) {
        return -1;
      }
      offset += n;
    }
  }
}
