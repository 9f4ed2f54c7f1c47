package dev.catena.client;

/** The bucket has no record in the cluster (S3 {@code NoSuchBucket}). */
public class NoSuchBucketException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public NoSuchBucketException(String message) {
    super(message);
  }

  public NoSuchBucketException(String message, Throwable cause) {
    super(message, cause);
  }
}
