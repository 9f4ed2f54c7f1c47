package dev.catena.client;

/** Data failed its CRC32C or MD5 check, on the wire or at rest; the bytes were not returned. */
public class ChecksumMismatchException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public ChecksumMismatchException(String message) {
    super(message);
  }

  public ChecksumMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
