package dev.catena.chain.storage;

import dev.catena.chain.storage.ChunkRecords.Header;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a segment file's record headers in order, without reading data.
 *
 * <p><b>Framing.</b> A record is recognised only where the previous record ends (offset 0 for the
 * first): the scanner never searches forward for something that looks like a header. Chunk data is
 * arbitrary client bytes and may contain a complete, checksum-valid encoded record (a DELETE of
 * another chunk, say); a search forward from a damaged record would find it and replay it as a real
 * record, and a committed chunk would vanish. So the first header that is not checksum-valid, or
 * the first record that runs past the end of the file, <em>ends the segment</em>: nothing after it
 * is indexed. The bytes stay on disk (a torn tail is not truncated, so bit rot in a header never
 * destroys the records behind it); the store seals such a segment and appends to a new one, and
 * compaction later drops the unreachable bytes.
 *
 * <p>Data blocks are not verified here: a complete record with a bad block (bit rot, or pages a
 * crash left unwritten) stays in the index and every read touching the bad block fails with {@link
 * ChecksumMismatchException}, so damage is never silent and the chunk can be repaired from a chain
 * peer, instead of being dropped at open. (The store verifies one kind of record at open: a later
 * record of a chunk it already indexed, see {@link SegmentChunkStore}.)
 *
 * <p>A torn tail can only hold writes whose futures never completed under ALWAYS/GROUP (the future
 * completes after the fsync that covers the whole record), so ending the segment there loses
 * nothing that was acknowledged.
 */
final class SegmentScanner {
  /**
   * Outcome of scanning one segment.
   *
   * @param records records reported
   * @param validEnd where the last complete record ends; less than the file size if the segment
   *     ends in a torn or damaged record
   * @param fileSize the file's size when scanned
   */
  record Result(int records, long validEnd, long fileSize) {
    /** The segment holds bytes after its last recognisable record. */
    boolean damaged() {
      return validEnd < fileSize;
    }
  }

  private SegmentScanner() {}

  /** Receives the headers of a scan in file order. */
  interface HeaderSink {
    void accept(Header h) throws IOException;
  }

  /** Reports the headers of {@code seg} in file order, up to its first damaged record. */
  static Result scan(Segment seg, HeaderSink out) throws IOException {
    long size = seg.file.size();
    long pos = 0;
    int records = 0;
    while (pos < size) {
      Header h = headerAt(seg, pos, size);
      if (h == null) {
        break;
      }
      out.accept(h);
      records++;
      pos = h.end();
    }
    return new Result(records, pos, size);
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
}
