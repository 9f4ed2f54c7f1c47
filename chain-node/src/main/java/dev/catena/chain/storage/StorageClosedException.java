package dev.catena.chain.storage;

/**
 * The store was closed, or stopped accepting writes after an unrecoverable I/O failure (a failed
 * fsync leaves the on-disk state unknown, so the store fails every later write instead of
 * guessing).
 */
public final class StorageClosedException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageClosedException(String message) {
    super(message);
  }

  public StorageClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
