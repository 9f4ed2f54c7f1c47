package dev.catena.frangipani.lock;

/**
 * The clerk's lease (its ZooKeeper session) has expired: its locks are gone, its cached metadata
 * was dropped, and any operation whose updates were not yet written back failed. The clerk cannot
 * be used again; its log is replayed by the recovery daemon.
 */
public class LeaseLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }
}
