package dev.catena.client;

/** A bucket with this name already exists (S3 {@code BucketAlreadyExists}). */
public class BucketExistsException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public BucketExistsException(String message) {
    super(message);
  }

  public BucketExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
