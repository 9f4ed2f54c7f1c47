package dev.catena.frangipani.zk;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.frangipani.clerk.LogReplayer;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recovery daemon (Frangipani §4): one participant of a Curator {@link LeaderLatch}; the leader
 * watches the clerks' "log not recovered" markers and liveness nodes, and for every clerk with a
 * marker but no liveness node (its session expired) replays its log through the {@link
 * LogReplayer}, then deletes the marker, which lets the lock service grant again.
 *
 * <p>Contract: a marker is deleted only after a replay of that clerk's log returned; a failed
 * replay is retried. Two leaders at once (a deposed leader not yet aware) are harmless because
 * replay is idempotent and applies only records newer than their targets.
 */
public final class ZkRecoveryDaemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ZkRecoveryDaemon.class);

  private final CuratorFramework zk;
  private final LockPaths paths;
  private final LogReplayer replayer;
  private final LeaderLatch latch;
  private final Semaphore wake = new Semaphore(0);
  // One watcher instance: ZooKeeper keeps a watcher once per path, so re-reading every second
  // does not pile up watches.
  private final Watcher changed = event -> wake.release();
  private final ExecutorService loop;
  private final AtomicLong recovered = new AtomicLong();
  private volatile boolean running = true;

  /** A participant named {@code participantId} for {@code cluster}; call {@link #start()}. */
  public ZkRecoveryDaemon(
      CuratorFramework zk, LockPaths paths, String participantId, LogReplayer replayer) {
    this.zk = zk;
    this.paths = paths;
    this.replayer = replayer;
    this.latch = new LeaderLatch(zk, paths.recoveryLatch(), participantId);
    this.loop =
        Executors.newSingleThreadExecutor(
            new ThreadFactoryBuilder().setNameFormat("recovery-daemon-%d").setDaemon(true).build());
  }

  /** Joins the election and starts watching. */
  public ZkRecoveryDaemon start() throws Exception {
    latch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            wake.release();
          }

          @Override
          public void notLeader() {}
        });
    latch.start();
    loop.execute(this::run);
    return this;
  }

  /** Whether this participant is the active daemon. */
  public boolean isLeader() {
    return latch.hasLeadership();
  }

  /** Number of dead clerks whose logs this participant replayed and released. */
  public long recovered() {
    return recovered.get();
  }

  private void run() {
    while (running) {
      try {
        if (latch.hasLeadership()) {
          recoverDeadClerks();
        }
        wake.tryAcquire(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (running) {
          log.warn("recovery round failed, will retry: {}", e.toString());
        }
      }
    }
  }

  private void recoverDeadClerks() throws Exception {
    Set<String> dead = new TreeSet<>();
    try {
      dead.addAll(zk.getChildren().usingWatcher(changed).forPath(paths.clerks()));
      dead.removeAll(zk.getChildren().usingWatcher(changed).forPath(paths.live()));
    } catch (KeeperException.NoNodeException e) {
      zk.create().creatingParentsIfNeeded().forPath(paths.clerks());
      zk.create().creatingParentsIfNeeded().forPath(paths.live());
      return;
    }
    for (String clerk : dead) {
      if (!running || !latch.hasLeadership()) {
        return;
      }
      int applied = replayer.replay(clerk);
      try {
        zk.delete().forPath(paths.clerk(clerk));
      } catch (KeeperException.NoNodeException e) {
        // another daemon finished it
      }
      recovered.incrementAndGet();
      log.info("recovered clerk {}: {} log records applied", clerk, applied);
    }
  }

  @Override
  public void close() {
    running = false;
    wake.release();
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
      latch.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("closing the latch: {}", e.toString());
    }
  }
}
