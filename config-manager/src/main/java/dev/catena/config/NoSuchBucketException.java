package dev.catena.config;

/** The named bucket does not exist. */
public final class NoSuchBucketException extends ClusterStateException {
  public NoSuchBucketException(String message) {
    super(message);
  }

  public NoSuchBucketException(String message, Throwable cause) {
    super(message, cause);
  }
}
