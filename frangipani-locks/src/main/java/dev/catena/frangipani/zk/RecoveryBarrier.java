package dev.catena.frangipani.zk;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery barrier of one clerk (DESIGN §7a): ZooKeeper deletes a dead clerk's lock nodes when
 * its session expires, so a persistent marker {@code clerks/<id>} ("this clerk's log may hold
 * records not written back") outlives it, next to the ephemeral {@code live/<id>}. A grant is used
 * only when no clerk has a marker without a liveness node: no lock of a dead clerk is used before
 * the recovery daemon has replayed its log and deleted its marker. Marker and liveness node are
 * created together and deleted together (one transaction each), so a daemon never sees a live clerk
 * as dead. Thread-safe.
 */
final class RecoveryBarrier {
  private static final Logger log = LoggerFactory.getLogger(RecoveryBarrier.class);

  private final CuratorFramework zk;
  private final LockPaths paths;
  private final String clerkId;
  // One watcher instance: ZooKeeper keeps it once per path however often the barrier is checked,
  // so cold acquires do not pile up watches on clerks/ and live/.
  private final Watcher livenessChanged =
      new Watcher() {
        @Override
        public void process(org.apache.zookeeper.WatchedEvent event) {
          synchronized (this) {
            notifyAll();
          }
        }
      };

  RecoveryBarrier(CuratorFramework zk, LockPaths paths, String clerkId) {
    this.zk = zk;
    this.paths = paths;
    this.clerkId = clerkId;
  }

  /**
   * Creates the parents if needed, then the clerk's marker and liveness node in one transaction.
   */
  void register() throws Exception {
    for (String parent : List.of(paths.clerks(), paths.live(), paths.table())) {
      try {
        zk.create().creatingParentsIfNeeded().forPath(parent);
      } catch (KeeperException.NodeExistsException e) {
        // created by another clerk
      }
    }
    try {
      zk.transaction()
          .forOperations(
              zk.transactionOp().create().forPath(paths.clerk(clerkId)),
              zk.transactionOp()
                  .create()
                  .withMode(CreateMode.EPHEMERAL)
                  .forPath(paths.live(clerkId)));
    } catch (KeeperException.NodeExistsException e) {
      throw new IllegalStateException("clerk id already used: " + clerkId, e);
    }
  }

  /** A clean end: deletes liveness node and marker together (nothing left to recover). */
  void deregister() {
    try {
      zk.transaction()
          .forOperations(
              zk.transactionOp().delete().forPath(paths.live(clerkId)),
              zk.transactionOp().delete().forPath(paths.clerk(clerkId)));
    } catch (Exception e) {
      log.warn("clean deregistration of clerk {} failed: {}", clerkId, e.toString());
    }
  }

  /**
   * Blocks while some clerk has a marker and no liveness node; {@code checkAlive} runs before every
   * look and throws if this clerk can no longer wait (lease lost, closed).
   */
  void awaitNoDeadClerks(Runnable checkAlive) throws InterruptedException {
    while (true) {
      checkAlive.run();
      Set<String> dead;
      try {
        dead =
            new HashSet<>(zk.getChildren().usingWatcher(livenessChanged).forPath(paths.clerks()));
        dead.removeAll(zk.getChildren().usingWatcher(livenessChanged).forPath(paths.live()));
      } catch (Exception e) {
        checkAlive.run();
        throw new LockServiceException("reading clerk liveness failed: " + e, e);
      }
      if (dead.isEmpty()) {
        return;
      }
      log.debug("grant held back until the logs of {} are recovered", dead);
      synchronized (livenessChanged) {
        livenessChanged.wait(1000);
      }
    }
  }

  /** Clerks with a "log not recovered" marker and no liveness node. */
  static Set<String> deadClerks(CuratorFramework zk, LockPaths paths) throws Exception {
    Set<String> dead = new HashSet<>();
    try {
      dead.addAll(zk.getChildren().forPath(paths.clerks()));
      dead.removeAll(zk.getChildren().forPath(paths.live()));
    } catch (KeeperException.NoNodeException e) {
      // nothing registered yet
    }
    return dead;
  }
}
