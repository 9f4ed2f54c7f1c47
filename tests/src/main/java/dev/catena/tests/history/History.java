package dev.catena.tests.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable history of register operations, ordered by invocation time (ties by id).
 *
 * <p>Operation ids are unique; a duplicate throws {@link InvalidHistoryException}.
 */
public final class History {
  private static final Comparator<Operation> BY_INVOKE =
      Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id);

  private final List<Operation> operations;

  private History(List<Operation> operations) {
    this.operations = operations;
  }

  /** Builds a history from operations in any order. */
  public static History of(List<Operation> operations) {
    List<Operation> copy = new ArrayList<>(operations);
    Set<Long> ids = new HashSet<>();
    for (Operation op : copy) {
      if (op == null) {
        throw new InvalidHistoryException("null operation");
      }
      if (!ids.add(op.id())) {
        throw new InvalidHistoryException("duplicate operation id " + op.id());
      }
    }
    copy.sort(BY_INVOKE);
    return new History(Collections.unmodifiableList(copy));
  }

  /** Builds a history from the given operations. */
  public static History of(Operation... operations) {
    return of(List.of(operations));
  }

  /** The operations ordered by invocation time. */
  public List<Operation> operations() {
    return operations;
  }

  /** Number of operations. */
  public int size() {
    return operations.size();
  }

  /** The operations grouped by key, keys in first-invocation order. */
  public Map<String, List<Operation>> byKey() {
    Map<String, List<Operation>> map = new LinkedHashMap<>();
    for (Operation op : operations) {
      map.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    map.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return Collections.unmodifiableMap(map);
  }

  /** A new history with the operations that match the filter. */
  public History filter(Predicate<Operation> keep) {
    return new History(operations.stream().filter(keep).toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof History h && h.operations.equals(operations);
  }

  @Override
  public int hashCode() {
    return operations.hashCode();
  }

  @Override
  public String toString() {
    return "History" + operations;
  }
}
