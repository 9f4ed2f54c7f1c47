package dev.catena.tests.history;

/** Thrown when an operation or a history is malformed (missing fields, times out of order, ...). */
public final class InvalidHistoryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the offending operation. */
  public InvalidHistoryException(String message) {
    super(message);
  }
}
