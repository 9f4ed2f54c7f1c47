package dev.catena.sharding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One chain of the target table while a plan is computed: its current members (empty for a new
 * chain), then the member set, head and tail chosen by {@link TargetTableSolver}. Mutable,
 * package-private working state of {@link RebalancePlanner}.
 */
final class ChainSlot {
  final int id;
  final List<String> current;
  Set<String> target = new TreeSet<>();
  String head;
  String tail;

  ChainSlot(int id, List<String> current) {
    this.id = id;
    this.current = current;
  }

  /** Members of {@code current} that stay, in current order. */
  List<String> keptInOrder() {
    List<String> out = new ArrayList<>();
    for (String m : current) {
      if (target.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  List<String> removedInOrder() {
    List<String> out = new ArrayList<>();
    for (String m : current) {
      if (!target.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  List<String> addedSorted() {
    List<String> out = new ArrayList<>();
    for (String m : target) {
      if (!current.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Nodes that can be head without a role swap, given the replacement rules of emission. */
  Set<String> naturalHeads() {
    if (current.isEmpty()) {
      return target;
    }
    if (target.contains(current.get(0))) {
      return Set.of(current.get(0));
    }
    List<String> add = addedSorted();
    return add.isEmpty() ? Set.of(keptInOrder().get(0)) : new HashSet<>(add);
  }

  /** Nodes that can be tail without a role swap, given the replacement rules of emission. */
  Set<String> naturalTails() {
    if (current.isEmpty()) {
      return target;
    }
    List<String> add = addedSorted();
    if (add.size() > removedInOrder().size()) {
      return new HashSet<>(add);
    }
    String last = current.get(current.size() - 1);
    if (target.contains(last)) {
      return Set.of(last);
    }
    if (!add.isEmpty()) {
      return new HashSet<>(add);
    }
    List<String> keep = keptInOrder();
    return Set.of(keep.get(keep.size() - 1));
  }

  /** Head, then the other members in the order of {@code order}, then tail. */
  List<String> targetOrder(Collection<String> order) {
    List<String> out = new ArrayList<>();
    out.add(head);
    for (String m : order) {
      if (!m.equals(head) && !m.equals(tail)) {
        out.add(m);
      }
    }
    if (!tail.equals(head)) {
      out.add(tail);
    }
    return out;
  }
}
