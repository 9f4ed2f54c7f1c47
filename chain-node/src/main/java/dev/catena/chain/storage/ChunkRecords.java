package dev.catena.chain.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * On-disk record format of {@link SegmentChunkStore} segment files (all integers big-endian).
 *
 * <pre>
 * header = [magic u32 = 0xCA7E0C01][headerLen u16][type u8: 1 PUT, 2 DELETE]
 *          [idLen u16][chunkId: idLen bytes UTF-8][dataLength u64][headerCrc u32]
 *          headerLen = 21 + idLen; headerCrc = CRC32C of the header bytes before it
 * PUT    = header, then the data in blocks of 64 KiB (the last one shorter),
 *          each block followed by the CRC32C u32 of that block's bytes
 * DELETE = header only (dataLength 0)
 * </pre>
 *
 * Block checksums cover only the block's own bytes, so a record can be copied verbatim to another
 * segment (compaction) without recomputing them. A zero-length PUT has no blocks.
 */
final class ChunkRecords {
  static final int MAGIC = 0xCA7E0C01;
  static final byte PUT = 1;
  static final byte DELETE = 2;
  static final int BLOCK = 64 * 1024;
  static final int FIXED_HEADER = 21;
  static final int MAX_ID_BYTES = 1024;
  static final int MAX_HEADER = FIXED_HEADER + MAX_ID_BYTES;

  private ChunkRecords() {}

  /** A decoded, checksum-verified record header found at {@code offset} of a segment. */
  record Header(byte type, String chunkId, long dataLength, int headerLength, long offset) {
    long recordLength() {
      return headerLength + sectionLength(dataLength);
    }

    long dataStart() {
      return offset + headerLength;
    }

    long end() {
      return offset + recordLength();
    }
  }

  /** Bytes of the data section of a PUT of {@code dataLength} bytes (data plus block CRCs). */
  static long sectionLength(long dataLength) {
    return dataLength + 4L * blocks(dataLength);
  }

  static long blocks(long dataLength) {
    return (dataLength + BLOCK - 1) / BLOCK;
  }

  static byte[] idBytes(String chunkId) {
    if (chunkId == null || chunkId.isEmpty()) {
      throw new InvalidChunkIdException("chunk id must not be empty");
    }
    byte[] id = chunkId.getBytes(StandardCharsets.UTF_8);
    if (id.length > MAX_ID_BYTES) {
      throw new InvalidChunkIdException(
          "chunk id has " + id.length + " UTF-8 bytes, more than " + MAX_ID_BYTES);
    }
    return id;
  }

  private static void putHeader(ByteBuffer out, byte type, byte[] id, long dataLength) {
    int start = out.position();
    out.putInt(MAGIC)
        .putShort((short) (FIXED_HEADER + id.length))
        .put(type)
        .putShort((short) id.length)
        .put(id)
        .putLong(dataLength);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), out.arrayOffset() + start, out.position() - start);
    out.putInt((int) crc.getValue());
  }

  /** Encodes a complete PUT record of the remaining bytes of {@code data} (not consumed). */
  static ByteBuffer encodePut(byte[] id, ByteBuffer data) {
    ByteBuffer src = data.duplicate();
    long len = src.remaining();
    long total = FIXED_HEADER + id.length + sectionLength(len);
    if (total > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("chunk too large: " + len + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total);
    putHeader(out, PUT, id, len);
    CRC32C crc = new CRC32C();
    while (src.hasRemaining()) {
      int n = Math.min(BLOCK, src.remaining());
      ByteBuffer block = src.slice(src.position(), n);
      crc.reset();
      crc.update(block.duplicate());
      out.put(block);
      out.putInt((int) crc.getValue());
      src.position(src.position() + n);
    }
    return out.flip();
  }

  /** Encodes a DELETE record. */
  static ByteBuffer encodeDelete(byte[] id) {
    ByteBuffer out = ByteBuffer.allocate(FIXED_HEADER + id.length);
    putHeader(out, DELETE, id, 0);
    return out.flip();
  }

  /**
   * Decodes a header from {@code buf} (position = start of the candidate header, {@code offset} its
   * file offset). Returns {@code null} if the bytes are not a complete, checksum-valid header.
   */
  static Header parseHeader(ByteBuffer buf, long offset) {
    ByteBuffer b = buf.duplicate();
    int start = b.position();
    if (b.remaining() < FIXED_HEADER || b.getInt() != MAGIC) {
      return null;
    }
    int headerLen = Short.toUnsignedInt(b.getShort());
    byte type = b.get();
    int idLen = Short.toUnsignedInt(b.getShort());
    if (headerLen != FIXED_HEADER + idLen
        || idLen == 0
        || idLen > MAX_ID_BYTES
        || (type != PUT && type != DELETE)
        || buf.remaining() < headerLen) {
      return null;
    }
    byte[] id = new byte[idLen];
    b.get(id);
    long dataLength = b.getLong();
    int storedCrc = b.getInt();
    ByteBuffer covered = buf.duplicate();
    covered.limit(start + headerLen - 4);
    CRC32C crc = new CRC32C();
    crc.update(covered);
    if ((int) crc.getValue() != storedCrc
        || dataLength < 0
        || (type == DELETE && dataLength != 0)) {
      return null;
    }
    return new Header(type, new String(id, StandardCharsets.UTF_8), dataLength, headerLen, offset);
  }

  /** CRC32C of {@code n} bytes of {@code buf} from {@code from}. */
  static int crc(ByteBuffer buf, int from, int n) {
    CRC32C crc = new CRC32C();
    crc.update(buf.slice(from, n));
    return (int) crc.getValue();
  }
}
