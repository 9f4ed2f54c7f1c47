package dev.catena.client;

/** The object does not exist (S3 {@code NoSuchKey}). */
public class NoSuchKeyException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public NoSuchKeyException(String message) {
    super(message);
  }

  public NoSuchKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
