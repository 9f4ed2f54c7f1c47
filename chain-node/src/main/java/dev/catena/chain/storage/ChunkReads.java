package dev.catena.chain.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Verified reads of chunk records: every 64 KiB block touched is checked against its CRC32C before
 * any of its bytes are returned. The caller holds a reference on the segment.
 */
final class ChunkReads {
  private ChunkReads() {}

  /** Reads {@code length} data bytes from {@code offset} of the chunk at {@code loc}. */
  static ByteBuffer read(String chunkId, SegmentChunkStore.Location loc, long offset, int length)
      throws IOException {
    ByteBuffer result = ByteBuffer.allocate(length);
    if (length == 0) {
      return result;
    }
    int block = ChunkRecords.BLOCK;
    long first = offset / block;
    long last = (offset + length - 1) / block;
    long fileStart = loc.dataStart() + first * (block + 4);
    int lastLen = (int) Math.min(block, loc.dataLength() - last * block);
    long fileEnd = loc.dataStart() + last * (block + 4) + lastLen + 4;
    if (fileEnd - fileStart > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("range too large: " + length);
    }
    ByteBuffer raw = ByteBuffer.allocate((int) (fileEnd - fileStart));
    if (!loc.segment().readFully(raw, fileStart)) {
      throw new CorruptRecordException(
          "segment " + loc.segment().number + " ends inside chunk '" + chunkId + "'");
    }
    int rel = 0;
    for (long b = first; b <= last; b++) {
      int n = (int) Math.min(block, loc.dataLength() - b * block);
      if (ChunkRecords.crc(raw, rel, n) != raw.getInt(rel + n)) {
        throw new ChecksumMismatchException(chunkId, loc.segment().number, fileStart + rel);
      }
      long blockStart = b * block;
      long from = Math.max(offset, blockStart);
      long to = Math.min(offset + length, blockStart + n);
      result.put(raw.slice(rel + (int) (from - blockStart), (int) (to - from)));
      rel += n + 4;
    }
    return result.flip();
  }

  /** Reads a whole PUT record (header and blocks), verifying every block. */
  static ByteBuffer readVerifiedRecord(String chunkId, SegmentChunkStore.Location loc)
      throws IOException {
    long len = loc.recordLength();
    if (len > Integer.MAX_VALUE - 64) {
      throw new CorruptRecordException("record of chunk '" + chunkId + "' too large to copy");
    }
    ByteBuffer raw = ByteBuffer.allocate((int) len);
    if (!loc.segment().readFully(raw, loc.offset())) {
      throw new CorruptRecordException(
          "segment " + loc.segment().number + " ends inside chunk '" + chunkId + "'");
    }
    if (ChunkRecords.parseHeader(raw.duplicate().flip(), loc.offset()) == null) {
      throw new CorruptRecordException("bad header of chunk '" + chunkId + "'");
    }
    int rel = loc.headerLength();
    long remaining = loc.dataLength();
    while (remaining > 0) {
      int n = (int) Math.min(ChunkRecords.BLOCK, remaining);
      if (ChunkRecords.crc(raw, rel, n) != raw.getInt(rel + n)) {
        throw new ChecksumMismatchException(chunkId, loc.segment().number, loc.offset() + rel);
      }
      rel += n + 4;
      remaining -= n;
    }
    return raw.flip();
  }
}
