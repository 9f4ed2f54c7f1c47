package dev.catena.client;

/**
 * The cluster could not complete the request within the retry budget (attempts or total deadline):
 * nodes unreachable, fenced, overloaded or reconfiguring. A write that failed this way may or may
 * not have been applied.
 */
public class CatenaUnavailableException extends CatenaException {
  private static final long serialVersionUID = 1L;

  public CatenaUnavailableException(String message) {
    super(message);
  }

  public CatenaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
