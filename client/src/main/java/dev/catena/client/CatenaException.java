package dev.catena.client;

/**
 * Base of every error the Catena client reports. Unchecked, so that the asynchronous API can fail
 * its futures with it and the blocking API can rethrow it unchanged. Subclasses name the conditions
 * a caller may want to handle; an instance of exactly this class is an unexpected server or
 * transport failure.
 */
public class CatenaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CatenaException(String message) {
    super(message);
  }

  public CatenaException(String message, Throwable cause) {
    super(message, cause);
  }
}
