package dev.catena.tests.linearizability;

import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wing &amp; Gong's linearizability search (J. Parallel Distrib. Comput. 1993) with Lowe's
 * memoisation of (linearized set, state) pairs ("Testing for linearizability", CCPE 2017), laid out
 * as in Porcupine's {@code checkSingle}: the history is a doubly linked list of call and return
 * entries sorted by time; a call entry that can be applied to the current register state is
 * "lifted" out of the list together with its return entry, and reaching a return entry means the op
 * it belongs to had to be linearized already, so the search backtracks.
 *
 * <p>The model is a single register with read/write/delete, initially absent. The caller passes the
 * operations of one key; FAIL operations and INFO reads (which constrain nothing) are dropped here,
 * and INFO writes/deletes get a return time of plus infinity, so they may take effect at any point
 * after their invocation or - being placed after everything else - effectively never. Equal times
 * count as concurrent (calls sort before returns), which can only make the checker more permissive,
 * never report a false violation.
 */
final class RegisterSearch {
  private static final int NIL = CallReturnList.NIL;
  private static final int DEADLINE_CHECK_MASK = 1023;

  /** Outcome of one search. */
  record Outcome(Verdict verdict, long statesExplored, String reason) {}

  private RegisterSearch() {}

  /** The operations the search actually uses: no FAIL operations, no INFO reads. */
  static List<Operation> effective(List<Operation> ops) {
    List<Operation> out = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      if (op.status() == OpStatus.FAIL) {
        continue;
      }
      if (op.type() == OpType.READ && op.status() == OpStatus.INFO) {
        continue;
      }
      out.add(op);
    }
    return out;
  }

  private record MemoKey(long[] linearized, int state) {
    @Override
    public boolean equals(Object o) {
      return o instanceof MemoKey m && m.state == state && Arrays.equals(m.linearized, linearized);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(linearized) * 31 + state;
    }
  }

  /** Searches for a linearization of the given single-key operations. */
  static Outcome run(List<Operation> allOps, Budget budget) {
    List<Operation> ops = effective(allOps);
    int n = ops.size();
    if (n == 0) {
      return new Outcome(Verdict.LINEARIZABLE, 0, "");
    }
    // Register states as ints: 0 = absent, i > 0 = i-th distinct value.
    Map<String, Integer> intern = new HashMap<>();
    int[] kind = new int[n]; // 0 read, 1 write, 2 delete
    int[] arg = new int[n];
    for (int i = 0; i < n; i++) {
      Operation op = ops.get(i);
      kind[i] = op.type().ordinal();
      String v = op.type() == OpType.WRITE ? op.value() : op.output();
      arg[i] = v == null ? 0 : intern.computeIfAbsent(v, x -> intern.size() + 1);
    }

    // Entries 1..2n: call of op i and its return, sorted by time, calls first on ties.
    long[] invoke = new long[n];
    long[] ret = new long[n];
    for (int i = 0; i < n; i++) {
      invoke[i] = ops.get(i).invokeNanos();
      ret[i] = ops.get(i).effectiveCompleteNanos();
    }
    CallReturnList list = new CallReturnList(invoke, ret);
    int[] next = list.next;
    int[] opOf = list.opOf;
    boolean[] isCall = list.isCall;

    long[] linearized = new long[(n + 63) / 64];
    Set<MemoKey> cache = new HashSet<>();
    int[] stackEntry = new int[n];
    int[] stackState = new int[n];
    int top = 0;
    int state = 0;
    long explored = 0;
    long iterations = 0;
    int entry = list.first();
    while (list.first() != NIL) {
      if (!budget.step()) {
        return new Outcome(
            Verdict.UNKNOWN, explored, "search step budget of " + budget.maxSteps() + " exhausted");
      }
      if ((++iterations & DEADLINE_CHECK_MASK) == 0 && budget.deadlinePassed()) {
        return new Outcome(Verdict.UNKNOWN, explored, "deadline passed");
      }
      if (isCall[entry]) {
        int op = opOf[entry];
        int newState;
        boolean legal;
        switch (kind[op]) {
          case 0 -> {
            legal = state == arg[op];
            newState = state;
          }
          case 1 -> {
            legal = true;
            newState = arg[op];
          }
          default -> {
            legal = true;
            newState = 0;
          }
        }
        if (legal) {
          long[] candidate = linearized.clone();
          candidate[op >>> 6] |= 1L << (op & 63);
          if (cache.add(new MemoKey(candidate, newState))) {
            explored++;
            if (explored > budget.maxStates()) {
              return new Outcome(
                  Verdict.UNKNOWN,
                  explored,
                  "state budget of " + budget.maxStates() + " exhausted");
            }
            stackEntry[top] = entry;
            stackState[top] = state;
            top++;
            state = newState;
            linearized[op >>> 6] |= 1L << (op & 63);
            list.lift(entry);
            entry = list.first();
            continue;
          }
        }
        entry = next[entry];
      } else {
        if (top == 0) {
          return new Outcome(Verdict.NOT_LINEARIZABLE, explored, "");
        }
        top--;
        entry = stackEntry[top];
        state = stackState[top];
        int op = opOf[entry];
        linearized[op >>> 6] &= ~(1L << (op & 63));
        list.unlift(entry);
        entry = next[entry];
      }
    }
    return new Outcome(Verdict.LINEARIZABLE, explored, "");
  }
}
