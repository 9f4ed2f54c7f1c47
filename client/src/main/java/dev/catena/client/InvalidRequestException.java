package dev.catena.client;

/**
 * The request is malformed: invalid bucket name, key, range, option or continuation token. Nothing
 * was written.
 */
public class InvalidRequestException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }

  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
