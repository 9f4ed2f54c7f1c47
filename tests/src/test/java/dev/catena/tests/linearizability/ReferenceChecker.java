package dev.catena.tests.linearizability;

import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Brute-force reference for small single-key register histories, written straight from the
 * definition in Herlihy &amp; Wing (TOPLAS 1990, section 3): a history is linearizable iff some
 * total order of its operations (1) respects real-time order (a op that returned before another was
 * invoked comes first) and (2) is a legal sequential register execution. It enumerates those orders
 * depth-first. FAIL operations are left out; INFO operations may be placed anywhere after their
 * real-time predecessors or left out (they never returned, so nothing must follow them). The only
 * optimisation is remembering (placed set, value) pairs already known to fail.
 */
final class ReferenceChecker {
  private final List<Operation> ops = new ArrayList<>();
  private final Set<String> failed = new HashSet<>();

  private ReferenceChecker(List<Operation> keyOps) {
    for (Operation op : keyOps) {
      if (op.status() != OpStatus.FAIL) {
        ops.add(op);
      }
    }
    if (ops.size() > 62) {
      throw new IllegalArgumentException("reference checker handles at most 62 operations");
    }
  }

  static boolean isLinearizable(List<Operation> keyOps) {
    ReferenceChecker c = new ReferenceChecker(keyOps);
    return c.search(0L, null);
  }

  private boolean search(long placed, String value) {
    boolean allRequiredPlaced = true;
    for (int i = 0; i < ops.size(); i++) {
      if ((placed & (1L << i)) == 0 && ops.get(i).status() != OpStatus.INFO) {
        allRequiredPlaced = false;
        break;
      }
    }
    if (allRequiredPlaced) {
      return true;
    }
    String memo = placed + "/" + value;
    if (failed.contains(memo)) {
      return false;
    }
    for (int i = 0; i < ops.size(); i++) {
      if ((placed & (1L << i)) != 0 || !predecessorsPlaced(i, placed)) {
        continue;
      }
      Operation op = ops.get(i);
      String next = value;
      if (op.type() == OpType.WRITE) {
        next = op.value();
      } else if (op.type() == OpType.DELETE) {
        next = null;
      } else if (op.status() == OpStatus.OK && !Objects.equals(op.output(), value)) {
        continue; // an OK read must see the current value; an INFO read may see anything
      }
      if (search(placed | (1L << i), next)) {
        return true;
      }
    }
    failed.add(memo);
    return false;
  }

  /** Every op that returned (OK) strictly before op i was invoked is already placed. */
  private boolean predecessorsPlaced(int i, long placed) {
    long invoke = ops.get(i).invokeNanos();
    for (int j = 0; j < ops.size(); j++) {
      Operation p = ops.get(j);
      if (j != i
          && p.status() == OpStatus.OK
          && p.completeNanos() < invoke
          && (placed & (1L << j)) == 0) {
        return false;
      }
    }
    return true;
  }
}
