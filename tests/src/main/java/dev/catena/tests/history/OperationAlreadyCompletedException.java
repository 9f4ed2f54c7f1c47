package dev.catena.tests.history;

/** Thrown by {@link HistoryRecorder} when an operation is completed a second time. */
public final class OperationAlreadyCompletedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the given id and its recorded status. */
  public OperationAlreadyCompletedException(long id, OpStatus status) {
    super("operation " + id + " already completed as " + status);
  }
}
