package dev.catena.frangipani.lock;

/**
 * The two modes of a Frangipani lock: many readers ({@link #SHARED}) or one writer ({@link
 * #EXCLUSIVE}). Two grants of one lock to different clerks are allowed together only if both are
 * shared.
 */
public enum LockMode {
  SHARED,
  EXCLUSIVE;

  /** Whether a grant in this mode may coexist with a grant in {@code other} to another clerk. */
  public boolean compatibleWith(LockMode other) {
    return this == SHARED && other == SHARED;
  }

  /** Whether holding this mode is enough for a caller that asks for {@code wanted}. */
  public boolean covers(LockMode wanted) {
    return this == EXCLUSIVE || wanted == SHARED;
  }
}
