package dev.catena.tests.linearizability;

import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Shrinks one key's non-linearizable history to a small sub-history that is still not linearizable,
 * so a violation can be read at a glance.
 *
 * <p>Steps: (1) binary search for a short non-linearizable prefix in invocation order, (2) remove
 * chunks of halving size, then single operations, until nothing more can go (delta debugging). A
 * candidate is accepted only if the search proves it NOT_LINEARIZABLE within budget and it keeps
 * <em>support</em>: every read that, in the original, had a write of its value (or a delete, for a
 * read of "absent") invoked before the read returned still has one. Without that rule removing the
 * write a read observed would produce a trivially broken, misleading witness. Finally the FAILed
 * writes whose values the witness reads are added back as context (a read of an uncommitted value
 * is then visible as such).
 */
final class HistoryShrinker {
  private final Budget budget;
  private final int maxChecks;
  private int checks;

  HistoryShrinker(Budget budget, int maxChecks) {
    this.budget = budget;
    this.maxChecks = maxChecks;
  }

  /** Returns a small non-linearizable sub-history of {@code keyOps} (which must be one). */
  List<Operation> shrink(List<Operation> keyOps) {
    List<Operation> ops = new ArrayList<>(RegisterSearch.effective(keyOps));
    ops.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id));
    Set<Long> originallySupported = new HashSet<>();
    for (Operation op : ops) {
      if (isOkRead(op) && supported(op, ops)) {
        originallySupported.add(op.id());
      }
    }
    // (1) shortest failing prefix by binary search (the predicate need not be monotone; the
    // invariant "lo fails to violate, hi violates" still yields a violating prefix).
    int lo = 0;
    int hi = ops.size();
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (violates(ops.subList(0, mid), originallySupported)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    List<Operation> current = new ArrayList<>(ops.subList(0, hi));
    // (2) remove chunks, halving their size; at size 1 repeat until a fixpoint.
    int chunk = Math.max(1, current.size() / 2);
    while (true) {
      boolean removed = false;
      for (int start = 0; start < current.size() && checks < maxChecks; ) {
        int end = Math.min(current.size(), start + chunk);
        List<Operation> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(end, current.size()));
        if (violates(candidate, originallySupported)) {
          current = candidate;
          removed = true;
        } else {
          start += chunk;
        }
      }
      if (checks >= maxChecks || (chunk == 1 && !removed)) {
        break;
      }
      chunk = Math.max(1, chunk / 2);
    }
    return withFailedContext(current, keyOps);
  }

  private boolean violates(List<Operation> candidate, Set<Long> originallySupported) {
    for (Operation op : candidate) {
      if (originallySupported.contains(op.id()) && !supported(op, candidate)) {
        return false;
      }
    }
    if (checks >= maxChecks || budget.stepsExhausted() || budget.deadlinePassed()) {
      return false;
    }
    checks++;
    return RegisterSearch.run(candidate, budget).verdict() == Verdict.NOT_LINEARIZABLE;
  }

  private static boolean isOkRead(Operation op) {
    return op.type() == OpType.READ && op.status() == OpStatus.OK;
  }

  /** A write of the read's value, or a delete for a read of absent, that may precede it. */
  private static boolean supported(Operation read, List<Operation> ops) {
    for (Operation w : ops) {
      if (w.id() == read.id() || !w.mayMutate() || w.invokeNanos() > read.completeNanos()) {
        continue;
      }
      String produced = w.type() == OpType.WRITE ? w.value() : null;
      if (Objects.equals(produced, read.output())) {
        return true;
      }
    }
    return false;
  }

  private static List<Operation> withFailedContext(List<Operation> witness, List<Operation> all) {
    Set<String> readValues = new HashSet<>();
    for (Operation op : witness) {
      if (isOkRead(op) && op.output() != null) {
        readValues.add(op.output());
      }
    }
    List<Operation> out = new ArrayList<>(witness);
    for (Operation op : all) {
      if (op.type() == OpType.WRITE
          && op.status() == OpStatus.FAIL
          && readValues.contains(op.value())) {
        out.add(op);
      }
    }
    out.sort(Comparator.comparingLong(Operation::invokeNanos).thenComparingLong(Operation::id));
    return List.copyOf(out);
  }
}
