package dev.catena.tests.history;

import java.util.Objects;

/**
 * One client operation on a single key of a read/write/delete register, as recorded by a client.
 *
 * <p>Contract (checked on construction, violations throw {@link InvalidHistoryException}):
 *
 * <ul>
 *   <li>{@code WRITE} carries a non-null input {@code value}; {@code READ} and {@code DELETE} carry
 *       none.
 *   <li>{@code output} is only meaningful for an {@code OK} {@code READ}: the value seen, or {@code
 *       null} when the key was absent. It is {@code null} for every other operation.
 *   <li>{@code OK} and {@code FAIL} operations have a completion time {@code >= invokeNanos}. An
 *       {@code INFO} operation has either the time the client gave up, or {@link #NOT_COMPLETED} if
 *       it never returned; checkers treat every {@code INFO} completion as plus infinity.
 * </ul>
 *
 * @param id unique id within its history; ids increase with invocation order
 * @param process the client or thread that issued it; one process has at most one operation in
 *     flight at a time
 * @param key the register the operation touches
 * @param type read, write or delete
 * @param value the value written (writes only)
 * @param output the value read (OK reads only; {@code null} = key absent)
 * @param invokeNanos monotonic time of invocation
 * @param completeNanos monotonic time of completion, or {@link #NOT_COMPLETED}
 * @param status OK, FAIL or INFO
 */
public record Operation(
    long id,
    int process,
    String key,
    OpType type,
    String value,
    String output,
    long invokeNanos,
    long completeNanos,
    OpStatus status) {

  /** Completion time of an operation that never returned. */
  public static final long NOT_COMPLETED = Long.MAX_VALUE;

  /** Validates the contract described on the type. */
  public Operation {
    if (key == null || type == null || status == null) {
      throw new InvalidHistoryException("operation " + id + ": key, type and status are required");
    }
    if (type == OpType.WRITE && value == null) {
      throw new InvalidHistoryException("operation " + id + ": a WRITE needs a value");
    }
    if (type != OpType.WRITE && value != null) {
      throw new InvalidHistoryException("operation " + id + ": only a WRITE carries a value");
    }
    if (output != null && !(type == OpType.READ && status == OpStatus.OK)) {
      throw new InvalidHistoryException("operation " + id + ": only an OK READ has an output");
    }
    if (status != OpStatus.INFO && completeNanos == NOT_COMPLETED) {
      throw new InvalidHistoryException("operation " + id + ": " + status + " needs a completion");
    }
    if (completeNanos < invokeNanos) {
      throw new InvalidHistoryException("operation " + id + ": completes before it was invoked");
    }
  }

  /** Creates an acknowledged write. */
  public static Operation write(
      long id, int process, String key, String value, long invoke, long complete, OpStatus st) {
    return new Operation(id, process, key, OpType.WRITE, value, null, invoke, complete, st);
  }

  /** Creates a read; {@code output} is ignored (forced to null) unless {@code st} is OK. */
  public static Operation read(
      long id, int process, String key, String output, long invoke, long complete, OpStatus st) {
    return new Operation(
        id,
        process,
        key,
        OpType.READ,
        null,
        st == OpStatus.OK ? output : null,
        invoke,
        complete,
        st);
  }

  /** Creates a delete. */
  public static Operation delete(
      long id, int process, String key, long invoke, long complete, OpStatus st) {
    return new Operation(id, process, key, OpType.DELETE, null, null, invoke, complete, st);
  }

  /**
   * Completion time as a checker must see it: the recorded time for OK and FAIL, plus infinity
   * ({@link Long#MAX_VALUE}) for INFO.
   */
  public long effectiveCompleteNanos() {
    return status == OpStatus.INFO ? NOT_COMPLETED : completeNanos;
  }

  /** True if this operation may change the register (a write or delete that did not FAIL). */
  public boolean mayMutate() {
    return type != OpType.READ && status != OpStatus.FAIL;
  }

  /** Returns a copy with another read output (used to build test variants of a history). */
  public Operation withOutput(String newOutput) {
    return new Operation(
        id, process, key, type, value, newOutput, invokeNanos, completeNanos, status);
  }

  /** Short human form, for example {@code W(x)=v1}, {@code R(x)->absent}, {@code D(x)}. */
  public String describe() {
    return switch (type) {
      case WRITE -> "W(" + key + ")=" + value;
      case DELETE -> "D(" + key + ")";
      case READ ->
          "R(" + key + ")->" + (status == OpStatus.OK ? Objects.toString(output, "absent") : "?");
    };
  }
}
