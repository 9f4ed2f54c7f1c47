package dev.catena.client;

/** The bucket still holds objects and cannot be deleted (S3 {@code BucketNotEmpty}). */
public class BucketNotEmptyException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public BucketNotEmptyException(String message) {
    super(message);
  }

  public BucketNotEmptyException(String message, Throwable cause) {
    super(message, cause);
  }
}
