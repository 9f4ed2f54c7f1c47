package dev.catena.config;

/** A cluster with this name already exists with different settings. */
public final class ClusterExistsException extends ClusterStateException {
  public ClusterExistsException(String message) {
    super(message);
  }

  public ClusterExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
