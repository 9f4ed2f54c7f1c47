package dev.catena.config.zk;

import java.time.Duration;

/**
 * Timing of a node's self-fencing lease: the lease duration (shorter than the ZooKeeper session
 * timeout) and how often a heartbeat round-trip renews it.
 *
 * @param lease how long one successful round-trip keeps the lease valid
 * @param heartbeat interval between renewing round-trips; shorter than {@code lease}
 */
public record LeaseSettings(Duration lease, Duration heartbeat) {
  public LeaseSettings {
    if (lease.isNegative() || lease.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("lease and heartbeat must be positive");
    }
    if (heartbeat.compareTo(lease) >= 0) {
      throw new IllegalArgumentException("heartbeat " + heartbeat + " must be < lease " + lease);
    }
  }

  /**
   * The default: lease = 2/3 of the session timeout (about when Curator reports SUSPENDED, well
   * before the server can expire the session), heartbeat = lease / 3.
   */
  public static LeaseSettings forSessionTimeout(Duration sessionTimeout) {
    Duration lease = sessionTimeout.multipliedBy(2).dividedBy(3);
    return new LeaseSettings(lease, lease.dividedBy(3));
  }
}
