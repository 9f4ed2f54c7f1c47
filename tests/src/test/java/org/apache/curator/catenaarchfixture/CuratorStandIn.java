package org.apache.curator.catenaarchfixture;

/**
 * Stand-in for a Curator class (Curator is not on this module's classpath yet), living in the
 * {@code org.apache.curator} namespace so architecture-rule fixtures can depend on it.
 */
public final class CuratorStandIn {
  /** Does nothing. */
  public void start() {}
}
