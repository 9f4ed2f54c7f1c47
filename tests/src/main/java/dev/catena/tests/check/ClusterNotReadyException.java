package dev.catena.tests.check;

/** The cluster did not reach an expected state (bootstrapped, healthy, balanced) in time. */
public final class ClusterNotReadyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterNotReadyException(String message) {
    super(message);
  }
}
