package dev.catena.tests.linearizability;

import dev.catena.tests.history.History;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.List;

/** Terse builder for hand-written single- or multi-key histories in tests. Times are ticks. */
final class Hist {
  private final List<Operation> ops = new ArrayList<>();
  private String key = "x";
  private long nextId;

  Hist key(String k) {
    this.key = k;
    return this;
  }

  Hist write(int process, String value, long invoke, long complete) {
    return add(Operation.write(nextId, process, key, value, invoke, complete, OpStatus.OK));
  }

  Hist writeFail(int process, String value, long invoke, long complete) {
    return add(Operation.write(nextId, process, key, value, invoke, complete, OpStatus.FAIL));
  }

  /** A write whose outcome is unknown and which never returned. */
  Hist writeInfo(int process, String value, long invoke) {
    return add(
        Operation.write(
            nextId, process, key, value, invoke, Operation.NOT_COMPLETED, OpStatus.INFO));
  }

  /** A read; {@code output == null} means the key was absent. */
  Hist read(int process, String output, long invoke, long complete) {
    return add(Operation.read(nextId, process, key, output, invoke, complete, OpStatus.OK));
  }

  Hist delete(int process, long invoke, long complete) {
    return add(Operation.delete(nextId, process, key, invoke, complete, OpStatus.OK));
  }

  long lastId() {
    return nextId - 1;
  }

  Hist add(Operation op) {
    ops.add(op);
    nextId++;
    return this;
  }

  History build() {
    return History.of(ops);
  }
}
