package dev.catena.config;

/**
 * A compare-and-set write found a newer version than the one it was based on, and the current value
 * is not the one it meant to write. Re-read the state and decide again.
 */
public final class StaleVersionException extends ClusterStateException {
  public StaleVersionException(String message) {
    super(message);
  }

  public StaleVersionException(String message, Throwable cause) {
    super(message, cause);
  }
}
