package dev.catena.chain.storage;

/**
 * A stored record could not be decoded (bad magic, bad header checksum, impossible length, or a
 * LevelDB value in an unknown format). Raised where the damage cannot be attributed to a torn tail
 * left by a crash.
 */
public final class CorruptRecordException extends StorageException {
  private static final long serialVersionUID = 1L;

  public CorruptRecordException(String message) {
    super(message);
  }
}
