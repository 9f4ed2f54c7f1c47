package dev.catena.tests.history;

/** Outcome of an operation as the client observed it. */
public enum OpStatus {
  /** Completed and acknowledged: it took effect exactly once between invoke and completion. */
  OK,
  /** Definitely did not take effect (for example rejected before it reached the chain). */
  FAIL,
  /**
   * Unknown: it may or may not have taken effect, at any time after invocation (a timeout, a lost
   * connection, or a client that never completed the call). Checkers treat its completion time as
   * plus infinity.
   */
  INFO
}
