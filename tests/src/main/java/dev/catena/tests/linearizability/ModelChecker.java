package dev.catena.tests.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Linearizability of a whole history against any {@link SequentialModel}: the Wing &amp; Gong
 * search with Lowe's memoisation, as {@link RegisterSearch} runs it for one register, over object
 * states. For objects that do not decompose by key (a namespace, where a rename touches two paths
 * and moves a subtree), the history is checked as one object.
 *
 * <p>An operation whose outcome is unknown may take effect at any point after its invocation or
 * never: it is never required to be linearized, and a linearization that leaves it out is accepted.
 * The search is bounded by {@link CheckerOptions#maxStatesPerKey()} memoised states, {@link
 * CheckerOptions#maxSearchSteps()} steps and {@link CheckerOptions#timeout()}; running out gives
 * {@link Verdict#UNKNOWN}, never {@link Verdict#LINEARIZABLE}. Stateless and thread-safe.
 *
 * @param <S> the model's state
 * @param <C> an operation with its result
 */
public final class ModelChecker<S, C> {
  private static final int NIL = CallReturnList.NIL;
  private static final int DEADLINE_CHECK_MASK = 1023;

  private final SequentialModel<S, C> model;
  private final CheckerOptions options;

  /** The outcome of a check: the verdict, states explored and, if not linearizable, why. */
  public record Result(Verdict verdict, long statesExplored, String reason) {}

  public ModelChecker(SequentialModel<S, C> model, CheckerOptions options) {
    this.model = Objects.requireNonNull(model, "model");
    this.options = Objects.requireNonNull(options, "options");
  }

  private record MemoKey(long[] linearized, Object state) {
    @Override
    public boolean equals(Object o) {
      return o instanceof MemoKey m
          && m.state.equals(state)
          && Arrays.equals(m.linearized, linearized);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(linearized) * 31 + state.hashCode();
    }
  }

  /** Searches for a linearization of {@code history}. */
  public Result check(List<TimedOp<C>> history) {
    long start = options.clock().getAsLong();
    long timeout = LinearizabilityChecker.saturatedNanos(options);
    Budget budget =
        new Budget(
            options.maxStatesPerKey(),
            options.maxSearchSteps(),
            options.clock(),
            timeout >= Long.MAX_VALUE - start ? Long.MAX_VALUE : start + timeout);
    List<TimedOp<C>> ops = new ArrayList<>(history);
    int n = ops.size();
    if (n == 0) {
      return new Result(Verdict.LINEARIZABLE, 0, "");
    }
    long[] invoke = new long[n];
    long[] ret = new long[n];
    for (int i = 0; i < n; i++) {
      invoke[i] = ops.get(i).invokeNanos();
      ret[i] = ops.get(i).completeNanos();
    }
    CallReturnList list = new CallReturnList(invoke, ret);
    int[] next = list.next;
    int[] opOf = list.opOf;
    boolean[] isCall = list.isCall;

    long[] linearized = new long[(n + 63) / 64];
    Set<MemoKey> cache = new HashSet<>();
    int[] stackEntry = new int[n];
    List<S> stackState = new ArrayList<>(n);
    S state = model.initial();
    long explored = 0;
    long iterations = 0;
    int entry = list.first();
    while (list.first() != NIL) {
      if (!budget.step()) {
        return new Result(
            Verdict.UNKNOWN, explored, "search step budget of " + budget.maxSteps() + " exhausted");
      }
      if ((++iterations & DEADLINE_CHECK_MASK) == 0 && budget.deadlinePassed()) {
        return new Result(Verdict.UNKNOWN, explored, "deadline passed");
      }
      if (entry == NIL) {
        // Only operations of unknown outcome are left: leaving them out is a linearization.
        return new Result(Verdict.LINEARIZABLE, explored, "");
      }
      if (isCall[entry]) {
        int op = opOf[entry];
        S after = model.step(state, ops.get(op).op());
        if (after != null) {
          long[] candidate = linearized.clone();
          candidate[op >>> 6] |= 1L << (op & 63);
          if (cache.add(new MemoKey(candidate, after))) {
            explored++;
            if (explored > budget.maxStates()) {
              return new Result(
                  Verdict.UNKNOWN,
                  explored,
                  "state budget of " + budget.maxStates() + " exhausted");
            }
            stackEntry[stackState.size()] = entry;
            stackState.add(state);
            state = after;
            linearized[op >>> 6] |= 1L << (op & 63);
            list.lift(entry);
            entry = list.first();
            continue;
          }
        }
        entry = next[entry];
      } else if (ops.get(opOf[entry]).unknown()) {
        // The return of an operation of unknown outcome: it may never take effect.
        return new Result(Verdict.LINEARIZABLE, explored, "");
      } else {
        if (stackState.isEmpty()) {
          return new Result(
              Verdict.NOT_LINEARIZABLE,
              explored,
              "no linearization; the search got stuck at " + ops.get(opOf[entry]).op());
        }
        int top = stackState.size() - 1;
        entry = stackEntry[top];
        state = stackState.remove(top);
        int op = opOf[entry];
        linearized[op >>> 6] &= ~(1L << (op & 63));
        list.unlift(entry);
        entry = next[entry];
      }
    }
    return new Result(Verdict.LINEARIZABLE, explored, "");
  }
}
