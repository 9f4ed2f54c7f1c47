package dev.catena.config;

/** The cluster's root (or one of its fixed parents) does not exist: it was never created. */
public final class ClusterNotFoundException extends ClusterStateException {
  public ClusterNotFoundException(String message) {
    super(message);
  }

  public ClusterNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
