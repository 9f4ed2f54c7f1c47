package dev.catena.tests.linearizability;

/** Outcome of a linearizability check. UNKNOWN is never a pass. */
public enum Verdict {
  /** A linearization exists (Herlihy &amp; Wing 1990). */
  LINEARIZABLE,
  /** The search space was exhausted without finding a linearization: a real violation. */
  NOT_LINEARIZABLE,
  /** The budget (states or deadline) ran out before the search finished. */
  UNKNOWN;

  /** Combines per-key verdicts: any violation wins, else any unknown, else linearizable. */
  public static Verdict combine(Verdict a, Verdict b) {
    if (a == NOT_LINEARIZABLE || b == NOT_LINEARIZABLE) {
      return NOT_LINEARIZABLE;
    }
    if (a == UNKNOWN || b == UNKNOWN) {
      return UNKNOWN;
    }
    return LINEARIZABLE;
  }
}
