package dev.catena.frangipani.clerk;

/**
 * Replays a dead clerk's write-ahead log (Frangipani §4): applies, in order, every complete record
 * whose updates are newer than the metadata they target, and stops at the first torn or corrupt
 * record. Must be idempotent: replaying twice changes nothing more.
 */
public interface LogReplayer {
  /** Replays the log of {@code clerkId}; returns the number of updates applied. */
  int replay(String clerkId) throws Exception;
}
