package dev.catena.tests.history;

/** Thrown by {@link HistoryRecorder} when an id was never returned by {@code invoke}. */
public final class UnknownOperationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the given id. */
  public UnknownOperationException(long id) {
    super("unknown operation id " + id);
  }
}
