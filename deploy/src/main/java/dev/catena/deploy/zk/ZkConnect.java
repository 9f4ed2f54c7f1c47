package dev.catena.deploy.zk;

import dev.catena.config.zk.CuratorClients;
import dev.catena.frangipani.zk.LockPaths;
import dev.catena.frangipani.zk.LockTableReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * Short-lived ZooKeeper connections of the CLI, each bounded by a connect timeout: either connected
 * within it or failed with {@link ZooKeeperUnreachableException}.
 */
public final class ZkConnect {
  private ZkConnect() {}

  /** ZooKeeper at {@code connectString} did not answer within the connect timeout. */
  public static final class ZooKeeperUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ZooKeeperUnreachableException(String connectString) {
      super("no ZooKeeper connection to " + connectString, null, false, false);
    }
  }

  /** A started, connected client (the caller closes it). */
  static CuratorFramework open(String connectString, Duration timeout) {
    CuratorFramework c = CuratorClients.newClient(connectString, Duration.ofSeconds(10), timeout);
    c.start();
    try {
      if (c.blockUntilConnected(Math.toIntExact(timeout.toMillis()), TimeUnit.MILLISECONDS)) {
        return c;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    c.close();
    throw new ZooKeeperUnreachableException(connectString);
  }

  /** The administrative view of {@code cluster}, connected within {@code timeout}. */
  public static ClusterAdmin admin(String connectString, String cluster, Duration timeout) {
    return ClusterAdmin.open(open(connectString, timeout), cluster);
  }

  /** The lock table at {@code paths}, read through a connection made within {@code timeout}. */
  public static LockTableReader.Table lockTable(
      String connectString, LockPaths paths, Duration timeout) throws Exception {
    try (CuratorFramework c = open(connectString, timeout)) {
      return LockTableReader.read(c, paths);
    }
  }
}
