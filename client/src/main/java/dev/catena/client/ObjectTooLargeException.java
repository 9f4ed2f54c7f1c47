package dev.catena.client;

/** The object (or one of its parts) exceeds a size limit of the client or the cluster. */
public class ObjectTooLargeException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public ObjectTooLargeException(String message) {
    super(message);
  }

  public ObjectTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
