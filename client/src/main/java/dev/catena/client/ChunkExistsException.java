package dev.catena.client;

/**
 * A chunk id is written once, and this one already holds other bytes: the upload was refused and
 * nothing was written. Chunk ids are derived from a put's unique version id, so this means two puts
 * chose the same version id; retry the put with a new one.
 */
public class ChunkExistsException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public ChunkExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
