package dev.catena.frangipani.store;

/**
 * The lock under which a write is made: its scope (the lock's name) and the grant's fencing token.
 * Every metadata write carries one so that storage can refuse a write under a superseded grant
 * (DESIGN §7); {@link #NONE} marks writes made outside any lock (log records, file data).
 */
public record Fence(String scope, long token) {
  /** No lock: the write is not fenced. */
  public static final Fence NONE = new Fence("", 0);
}
