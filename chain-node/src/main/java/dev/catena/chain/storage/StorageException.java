package dev.catena.chain.storage;

/**
 * Base type of every failure raised by the storage engine. Unchecked: an I/O failure of the local
 * store is not something a caller can usually repair, but callers that can (for example by
 * repairing a chunk from a chain peer) catch the specific subclasses.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
