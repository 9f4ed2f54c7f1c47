package dev.catena.client;

/**
 * A write made under a lock carried a fencing token lower than one the chain has already seen for
 * the lock's scope: the writer no longer holds the lock (its lease expired, e.g. while it was
 * paused) and someone else has written under a newer grant. Nothing was written.
 */
public class StaleFencingTokenException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public StaleFencingTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
