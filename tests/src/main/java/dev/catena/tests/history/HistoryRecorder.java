package dev.catena.tests.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Thread-safe recorder of client operations. A client calls {@link #invoke} before it sends a
 * request and exactly one of {@link #ok}, {@link #fail} or {@link #info} when it learns the
 * outcome. Operations never completed appear in {@link #history()} as {@link OpStatus#INFO}.
 *
 * <p>Times come from an injected monotonic nanosecond source (default {@link System#nanoTime}).
 * Completing an unknown id throws {@link UnknownOperationException}; completing twice throws {@link
 * OperationAlreadyCompletedException}.
 */
public final class HistoryRecorder {
  private final LongSupplier nanos;
  private final Map<Long, Pending> pending = new LinkedHashMap<>();
  private final Map<Long, Operation> completed = new LinkedHashMap<>();
  private long nextId;

  private record Pending(long id, int process, String key, OpType type, String value, long at) {}

  /** A recorder that timestamps with {@link System#nanoTime()}. */
  public HistoryRecorder() {
    this(System::nanoTime);
  }

  /** A recorder that timestamps with the given monotonic nanosecond source. */
  public HistoryRecorder(LongSupplier nanos) {
    this.nanos = Objects.requireNonNull(nanos, "nanos");
  }

  /**
   * Records the invocation of an operation and returns its id.
   *
   * @param value the value to write (WRITE only, otherwise {@code null})
   */
  public synchronized long invoke(int process, String key, OpType type, String value) {
    long id = nextId;
    // Validate eagerly so a malformed call fails at the call site, not when exporting.
    new Operation(id, process, key, type, value, null, 0, 0, OpStatus.OK);
    nextId++;
    pending.put(id, new Pending(id, process, key, type, value, nanos.getAsLong()));
    return id;
  }

  /** Completes a write or delete as acknowledged. */
  public void ok(long id) {
    complete(id, OpStatus.OK, null);
  }

  /** Completes an operation as acknowledged; for a read, {@code output} is the value seen. */
  public void ok(long id, String output) {
    complete(id, OpStatus.OK, output);
  }

  /** Completes an operation that definitely did not take effect. */
  public void fail(long id) {
    complete(id, OpStatus.FAIL, null);
  }

  /** Completes an operation whose effect is unknown (timeout, lost connection). */
  public void info(long id) {
    complete(id, OpStatus.INFO, null);
  }

  private synchronized void complete(long id, OpStatus status, String output) {
    Pending p = pending.remove(id);
    if (p == null) {
      Operation done = completed.get(id);
      if (done != null) {
        throw new OperationAlreadyCompletedException(id, done.status());
      }
      throw new UnknownOperationException(id);
    }
    long at = nanos.getAsLong();
    String out = p.type() == OpType.READ && status == OpStatus.OK ? output : null;
    completed.put(
        id, new Operation(id, p.process(), p.key(), p.type(), p.value(), out, p.at(), at, status));
  }

  /** A snapshot of everything recorded so far; pending operations appear as INFO. */
  public synchronized History history() {
    List<Operation> ops = new ArrayList<>(completed.values());
    for (Pending p : pending.values()) {
      ops.add(
          new Operation(
              p.id(),
              p.process(),
              p.key(),
              p.type(),
              p.value(),
              null,
              p.at(),
              Operation.NOT_COMPLETED,
              OpStatus.INFO));
    }
    return History.of(ops);
  }
}
