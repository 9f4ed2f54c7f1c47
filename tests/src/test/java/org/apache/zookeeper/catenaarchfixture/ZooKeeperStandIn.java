package org.apache.zookeeper.catenaarchfixture;

/**
 * Stand-in for a ZooKeeper class (ZooKeeper is not on this module's classpath yet), living in the
 * {@code org.apache.zookeeper} namespace so architecture-rule fixtures can depend on it.
 */
public final class ZooKeeperStandIn {
  /** Does nothing. */
  public void close() {}
}
