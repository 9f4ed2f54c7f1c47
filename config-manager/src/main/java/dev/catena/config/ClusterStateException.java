package dev.catena.config;

/**
 * Base of every error a {@link ClusterStateStore} reports. Subclasses name the cause; callers catch
 * the specific subclass they can handle (for example {@link StaleVersionException}: re-read and
 * decide again).
 */
public class ClusterStateException extends RuntimeException {
  public ClusterStateException(String message) {
    super(message);
  }

  public ClusterStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
