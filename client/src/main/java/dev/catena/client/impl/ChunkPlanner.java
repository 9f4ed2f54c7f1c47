package dev.catena.client.impl;

import dev.catena.client.InvalidRequestException;
import dev.catena.proto.v1.ChunkRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunk arithmetic of large objects (pure; DESIGN §2): how many chunks an object has, and which
 * byte ranges of which chunks a ranged read needs.
 */
public final class ChunkPlanner {
  private ChunkPlanner() {}

  /**
   * The part of one chunk a read needs.
   *
   * @param chunk the chunk reference from the manifest
   * @param offset first byte within the chunk
   * @param length bytes to read from the chunk
   */
  public record Segment(ChunkRef chunk, long offset, long length) {
    /** True if the whole chunk is read, so its CRC32C can be verified. */
    public boolean whole() {
      return offset == 0 && length == chunk.getLength();
    }
  }

  /**
   * A resolved byte range of an object.
   *
   * @param offset first byte
   * @param length number of bytes
   */
  public record Range(long offset, long length) {}

  /** Number of chunks of an object of {@code size} bytes with chunks of {@code chunkSize}. */
  public static int chunkCount(long size, long chunkSize) {
    if (size < 0 || chunkSize < 1) {
      throw new IllegalArgumentException("size " + size + ", chunk size " + chunkSize);
    }
    long n = (size + chunkSize - 1) / chunkSize;
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many chunks: " + n);
    }
    return (int) n;
  }

  /**
   * Resolves a requested range against an object of {@code size} bytes: {@code length < 0} means to
   * the end, a range past the end is clipped. As in S3, an offset at or beyond the end of a
   * non-empty object is invalid; an empty object accepts only offset 0.
   *
   * @throws InvalidRequestException for a negative offset or one beyond the end
   */
  public static Range resolve(long size, long offset, long length) {
    if (offset < 0) {
      throw new InvalidRequestException("negative offset " + offset);
    }
    if (size == 0 ? offset > 0 : offset >= size) {
      throw new InvalidRequestException(
          "offset " + offset + " beyond object of " + size + " bytes");
    }
    long available = size - offset;
    return new Range(offset, length < 0 ? available : Math.min(length, available));
  }

  /**
   * The segments covering {@code [offset, offset + length)} of an object whose chunks are {@code
   * chunks} (in order, lengths summing to the object's size). Empty for a zero length.
   *
   * @throws IllegalArgumentException if the range is not inside the chunks
   */
  public static List<Segment> segments(List<ChunkRef> chunks, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("range " + offset + "+" + length);
    }
    var out = new ArrayList<Segment>();
    long end = offset + length;
    long chunkStart = 0;
    for (ChunkRef c : chunks) {
      long chunkEnd = chunkStart + c.getLength();
      if (length > 0 && chunkEnd > offset && chunkStart < end) {
        long from = Math.max(offset, chunkStart) - chunkStart;
        long to = Math.min(end, chunkEnd) - chunkStart;
        out.add(new Segment(c, from, to - from));
      }
      chunkStart = chunkEnd;
    }
    if (end > chunkStart) {
      throw new IllegalArgumentException(
          "range end " + end + " beyond the chunks' total " + chunkStart);
    }
    return out;
  }
}
