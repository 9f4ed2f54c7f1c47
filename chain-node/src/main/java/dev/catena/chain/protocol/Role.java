package dev.catena.chain.protocol;

/** The part a replica plays in one epoch of its chain. */
public enum Role {
  /** First ACTIVE member of a chain with more than one ACTIVE member: assigns sequence numbers. */
  HEAD,
  /** ACTIVE member between head and tail: persists and forwards. */
  MIDDLE,
  /** Last ACTIVE member: commits and serves reads. */
  TAIL,
  /** The only ACTIVE member: head and tail at once. */
  SOLE,
  /** Joining after the tail: receives writes, serves nothing, takes no part in commit. */
  SYNCING,
  /** Not in the chain (removed, or not yet configured). */
  NOT_MEMBER;

  /** True if this role accepts client writes. */
  public boolean isHead() {
    return this == HEAD || this == SOLE;
  }

  /** True if this role commits and serves reads. */
  public boolean isTail() {
    return this == TAIL || this == SOLE;
  }
}
