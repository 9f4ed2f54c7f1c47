package dev.catena.tests.linearizability;

import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Formats operations as a fixed-width text table: id, process, type, key, value, status and the
 * interval invoke..complete, with times relative to the earliest invocation. An INFO operation's
 * completion is shown as {@code inf}, as checkers treat it.
 */
public final class HistoryTable {
  private HistoryTable() {}

  /** Formats the operations, ordered by invocation time. */
  public static String format(List<Operation> operations) {
    List<Operation> ops = new ArrayList<>(operations);
    ops.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id));
    long t0 = ops.stream().mapToLong(Operation::invokeNanos).min().orElse(0);
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"id", "process", "type", "key", "value", "status", "invoke..complete"});
    for (Operation op : ops) {
      String value =
          switch (op.type()) {
            case WRITE -> op.value();
            case DELETE -> "";
            case READ -> op.status() == OpStatus.OK ? Objects.toString(op.output(), "absent") : "?";
          };
      String end = op.status() == OpStatus.INFO ? "inf" : Long.toString(op.completeNanos() - t0);
      rows.add(
          new String[] {
            Long.toString(op.id()),
            Integer.toString(op.process()),
            op.type() == OpType.READ ? "read" : op.type() == OpType.WRITE ? "write" : "delete",
            op.key(),
            value,
            op.status().name(),
            (op.invokeNanos() - t0) + ".." + end
          });
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        sb.append(row[i]);
        if (i + 1 < row.length) {
          sb.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
