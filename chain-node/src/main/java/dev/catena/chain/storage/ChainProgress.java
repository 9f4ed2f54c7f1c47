package dev.catena.chain.storage;

/**
 * Durable progress of one chain on this node: the highest sequence number applied to the store and
 * the highest known to be committed (acknowledged by the tail). {@code (0, 0)} for a chain the
 * store knows nothing about. The store does not enforce monotonicity: a resync may legitimately
 * roll a node back.
 */
public record ChainProgress(long appliedSeq, long committedSeq) {
  /** Progress of a chain without data. */
  public static final ChainProgress NONE = new ChainProgress(0, 0);
}
