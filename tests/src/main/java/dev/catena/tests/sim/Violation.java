package dev.catena.tests.sim;

/**
 * What kind of check a simulation run failed, so a test can require the specific violation a fault
 * causes instead of matching words in a message. Only {@link #isSafety() safety} kinds prove that
 * something went wrong with data; {@link #CHECK_UNKNOWN} proves nothing.
 */
public enum Violation {
  /**
   * A read answered by a replica that must not answer it, or with a value its data does not imply.
   */
  STALE_READ,
  /** An acknowledged write that is not durable where it must be, or missing after healing. */
  LOST_WRITE,
  /** A request applied twice, or answered with two different results (invariant 8). */
  DOUBLE_APPLY,
  /** A replica stored writes out of order (invariant 2) or histories are not prefixes (1). */
  ORDER,
  /** Two heads or two tails in one epoch. */
  ROLES,
  /**
   * After settling, ACTIVE members of a chain hold different object records although their
   * histories agree (e.g. a resync kept records the chain never committed).
   */
  DIVERGENCE,
  /**
   * A reply for another request's write, a call answered twice, or an error a client never gets.
   */
  REPLY,
  /** The history checker proved the history not linearizable. */
  NOT_LINEARIZABLE,
  /** The history checker ran out of budget: neither pass nor detection. */
  CHECK_UNKNOWN,
  /** After healing, the chains did not reach full length with only ACTIVE members. */
  STALLED_RECONFIGURATION,
  /**
   * With every chain at full length, writes stopped committing: clients did not finish, the probe
   * write did not commit, or members did not settle with nothing pending.
   */
  STALLED_COMMIT,
  /** The code under test threw (an assertion of its own, or a bug). */
  CRASH;

  /** True for violations of a safety property (data read, lost, applied or ordered wrongly). */
  public boolean isSafety() {
    return switch (this) {
      case STALE_READ, LOST_WRITE, DOUBLE_APPLY, ORDER, ROLES, REPLY, NOT_LINEARIZABLE -> true;
      default -> false;
    };
  }
}
