package dev.catena.chain.storage;

/**
 * A chunk id is empty or longer than {@link SegmentChunkStore#MAX_CHUNK_ID_BYTES} bytes in UTF-8.
 */
public final class InvalidChunkIdException extends StorageException {
  private static final long serialVersionUID = 1L;

  public InvalidChunkIdException(String message) {
    super(message);
  }
}
