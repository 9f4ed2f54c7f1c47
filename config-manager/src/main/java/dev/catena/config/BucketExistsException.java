package dev.catena.config;

/** A bucket with this name already exists (and is not the record this call meant to create). */
public final class BucketExistsException extends ClusterStateException {
  public BucketExistsException(String message) {
    super(message);
  }

  public BucketExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
