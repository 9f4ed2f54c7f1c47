package dev.catena.config;

/**
 * The metadata store could not be reached within the client's retry budget (for example ZooKeeper
 * CONNECTION_LOSS after all retries), or the calling thread was interrupted (its interrupt flag is
 * then set again). Whether a write took effect is unknown: repeat the same call, which is safe (see
 * ClusterStateStore).
 */
public final class StoreUnavailableException extends ClusterStateException {
  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
