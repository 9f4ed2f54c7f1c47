package dev.catena.chain.storage;

import dev.catena.chain.storage.ChunkRecords.Header;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a segment file's record headers in order (without reading data) and repairs what a crash
 * can leave behind.
 *
 * <ul>
 *   <li>A header that is not checksum-valid, or a record that runs past the end of the file, is
 *       damage. The scanner searches forward for the next valid header that fits in the file; if
 *       one exists the bytes in between are reported as a corrupt region and skipped (bit rot in
 *       the middle of a file must not drop every later record). If none exists, the damage is a
 *       <em>torn tail</em> and the file is truncated at its start.
 * </ul>
 *
 * Data blocks are not verified here: a complete record with a bad block (bit rot, or pages a crash
 * left unwritten) stays in the index and every read touching the bad block fails with {@link
 * ChecksumMismatchException}, so damage is never silent and the chunk can be repaired from a chain
 * peer, instead of being dropped at open.
 *
 * <p>A torn tail can only hold writes whose futures never completed under ALWAYS/GROUP (the future
 * completes after the fsync that covers the whole record), so truncating it loses nothing that was
 * acknowledged.
 */
final class SegmentScanner {
  private static final Logger log = LoggerFactory.getLogger(SegmentScanner.class);
  private static final int WINDOW = 1 << 20;

  /** Outcome of scanning one segment. */
  record Result(int records, int corruptRegions, long truncatedBytes) {}

  private SegmentScanner() {}

  static Result scan(Segment seg, Consumer<Header> out) throws IOException {
    return scan(seg, out, true);
  }

  /**
   * Reports the headers of {@code seg} in file order. With {@code repair}, also truncates a torn
   * tail; without, only reads (for segments already repaired at open).
   */
  static Result scan(Segment seg, Consumer<Header> out, boolean repair) throws IOException {
    long size = seg.channel.size();
    long pos = 0;
    Header pending = null;
    int records = 0;
    int corrupt = 0;
    long validEnd = size;
    while (pos < size) {
      Header h = headerAt(seg, pos, size);
      if (h != null) {
        if (pending != null) {
          out.accept(pending);
          records++;
        }
        pending = h;
        pos = h.end();
        continue;
      }
      long next = findNextHeader(seg, pos + 1, size);
      if (next < 0) {
        validEnd = pos;
        break;
      }
      log.warn("segment {}: corrupt bytes [{}, {}) skipped", seg.path, pos, next);
      corrupt++;
      pos = next;
    }
    if (pending != null) {
      out.accept(pending);
      records++;
    }
    long truncated = size - validEnd;
    if (!repair) {
      return new Result(records, corrupt, 0);
    }
    if (truncated > 0) {
      log.warn("segment {}: torn tail of {} bytes at {} truncated", seg.path, truncated, validEnd);
      seg.channel.truncate(validEnd);
      seg.channel.force(true);
    }
    seg.size.set(validEnd);
    return new Result(records, corrupt, truncated);
  }

  /** The valid header at {@code pos} whose record fits in the file, or {@code null}. */
  static Header headerAt(Segment seg, long pos, long size) throws IOException {
    int n = (int) Math.min(ChunkRecords.MAX_HEADER, size - pos);
    ByteBuffer hb = ByteBuffer.allocate(n);
    if (!seg.readFully(hb, pos)) {
      return null;
    }
    Header h = ChunkRecords.parseHeader(hb.flip(), pos);
    return h != null && h.end() <= size ? h : null;
  }

  private static long findNextHeader(Segment seg, long from, long size) throws IOException {
    ByteBuffer w = ByteBuffer.allocate(WINDOW);
    for (long base = from; base + 4 <= size; base += WINDOW - 3) {
      w.clear();
      w.limit((int) Math.min(WINDOW, size - base));
      seg.readFully(w, base);
      w.flip();
      for (int i = 0; i + 4 <= w.limit(); i++) {
        if (w.getInt(i) == ChunkRecords.MAGIC && headerAt(seg, base + i, size) != null) {
          return base + i;
        }
      }
    }
    return -1;
  }
}
