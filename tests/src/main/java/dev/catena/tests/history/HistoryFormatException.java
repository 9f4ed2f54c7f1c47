package dev.catena.tests.history;

/** Thrown when a JSON-lines history file cannot be parsed; the message names the line. */
public final class HistoryFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public HistoryFormatException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public HistoryFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
