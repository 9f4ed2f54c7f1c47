package dev.catena.chain.storage;

/** The requested chunk id is not stored (never written, or deleted). */
public final class NoSuchChunkException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String chunkId;

  public NoSuchChunkException(String chunkId) {
    super("no such chunk: '" + chunkId + "'");
    this.chunkId = chunkId;
  }

  /** The chunk id that was not found. */
  public String chunkId() {
    return chunkId;
  }
}
