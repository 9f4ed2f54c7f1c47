package dev.catena.frangipani.zk;

/** ZooKeeper failed a lock-service operation in a way the caller cannot retry blindly. */
public class LockServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LockServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
