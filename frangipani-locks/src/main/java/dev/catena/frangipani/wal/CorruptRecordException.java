package dev.catena.frangipani.wal;

/** A log record that is torn (written in part) or whose checksum does not match. */
public class CorruptRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public CorruptRecordException(String message) {
    super(message);
  }
}
