package dev.catena.tests.linearizability;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The doubly linked list of call and return entries that the Wing &amp; Gong search walks (as in
 * Porcupine's {@code checkSingle}): entry 0 is the head, entries 1..2n are the calls and returns of
 * n operations sorted by time, calls before returns on ties. {@link #lift} takes an operation's
 * call and return out of the list when the search linearizes it; {@link #unlift} puts them back
 * when it backtracks. Not thread-safe; one per search.
 */
final class CallReturnList {
  static final int NIL = -1;
  static final int HEAD = 0;

  final int[] next;
  final int[] prev;
  final int[] opOf;
  final boolean[] isCall;
  final int[] match;

  /**
   * The list of operations {@code i} invoked at {@code invoke[i]} and returning at {@code ret[i]}.
   */
  CallReturnList(long[] invoke, long[] ret) {
    int n = invoke.length;
    long[][] events = new long[2 * n][];
    for (int i = 0; i < n; i++) {
      events[2 * i] = new long[] {invoke[i], 0, i};
      events[2 * i + 1] = new long[] {ret[i], 1, i};
    }
    Arrays.sort(
        events,
        Comparator.<long[]>comparingLong(e -> e[0])
            .thenComparingLong(e -> e[1])
            .thenComparingLong(e -> e[2]));
    int size = 2 * n + 1;
    next = new int[size];
    prev = new int[size];
    opOf = new int[size];
    isCall = new boolean[size];
    match = new int[size];
    int[] callEntryOf = new int[n];
    for (int e = 1; e < size; e++) {
      long[] ev = events[e - 1];
      opOf[e] = (int) ev[2];
      isCall[e] = ev[1] == 0;
      if (isCall[e]) {
        callEntryOf[opOf[e]] = e;
      } else {
        match[callEntryOf[opOf[e]]] = e;
      }
      prev[e] = e - 1;
      next[e] = e + 1 < size ? e + 1 : NIL;
    }
    next[HEAD] = 1;
    prev[HEAD] = NIL;
  }

  /** The first entry still in the list, or {@link #NIL} when every operation is linearized. */
  int first() {
    return next[HEAD];
  }

  /** Takes the call entry {@code call} and its return out of the list. */
  void lift(int call) {
    int ret = match[call];
    next[prev[call]] = next[call];
    if (next[call] != NIL) {
      prev[next[call]] = prev[call];
    }
    next[prev[ret]] = next[ret];
    if (next[ret] != NIL) {
      prev[next[ret]] = prev[ret];
    }
  }

  /** Puts the call entry {@code call} and its return back, undoing {@link #lift}. */
  void unlift(int call) {
    int ret = match[call];
    next[prev[ret]] = ret;
    if (next[ret] != NIL) {
      prev[next[ret]] = ret;
    }
    next[prev[call]] = call;
    if (next[call] != NIL) {
      prev[next[call]] = call;
    }
  }
}
