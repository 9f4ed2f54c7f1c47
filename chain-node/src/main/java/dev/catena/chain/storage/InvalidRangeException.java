package dev.catena.chain.storage;

/**
 * A ranged chunk read asked for bytes outside the chunk (negative offset or length, or past end).
 */
public final class InvalidRangeException extends StorageException {
  private static final long serialVersionUID = 1L;

  public InvalidRangeException(String chunkId, long offset, long length, long chunkLength) {
    super(
        "invalid range ["
            + offset
            + ", +"
            + length
            + ") of chunk '"
            + chunkId
            + "' of length "
            + chunkLength);
  }
}
