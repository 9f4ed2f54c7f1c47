package dev.catena.chain.runtime;

import dev.catena.chain.storage.StorageException;

/**
 * Chunk bytes do not match the checksum their sender computed: the bytes are not stored. A snapshot
 * install that meets one fails (and is retried); a persist that meets one fails the node's storage.
 */
public final class ChunkIntegrityException extends StorageException {
  private static final long serialVersionUID = 1L;

  public ChunkIntegrityException(String message) {
    super(message);
  }
}
