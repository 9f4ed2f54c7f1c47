package dev.catena.chain.storage;

/**
 * A CRC32C check failed while reading chunk data: the stored bytes are not the bytes that were
 * written. Carries the chunk id, the segment file number and the absolute file offset of the bad
 * block so that a scrubber can repair the chunk from a chain peer. Never raised for data that was
 * not read: a read touching only intact blocks succeeds.
 */
public final class ChecksumMismatchException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String chunkId;
  private final long segment;
  private final long offset;

  public ChecksumMismatchException(String chunkId, long segment, long offset) {
    super(
        "checksum mismatch in chunk '"
            + chunkId
            + "' (segment "
            + segment
            + ", offset "
            + offset
            + ")");
    this.chunkId = chunkId;
    this.segment = segment;
    this.offset = offset;
  }

  /** The chunk whose data failed verification. */
  public String chunkId() {
    return chunkId;
  }

  /** Number of the segment file holding the bad block. */
  public long segment() {
    return segment;
  }

  /** Absolute offset of the bad block inside its segment file. */
  public long offset() {
    return offset;
  }
}
