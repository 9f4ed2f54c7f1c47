package dev.catena.config.zk;

import dev.catena.config.LeaderElection;
import dev.catena.proto.ClusterPaths;
import java.io.IOException;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderElection} on a Curator {@link LeaderLatch} at {@code manager/leader}: one
 * participant is active, the others wait and take over when it closes or its session is lost.
 */
public final class ZkLeaderElection implements LeaderElection {
  private static final Logger log = LoggerFactory.getLogger(ZkLeaderElection.class);

  private final LeaderLatch latch;

  /**
   * @param client a started Curator client
   * @param clusterName the cluster whose coordinators elect a leader (see {@link ClusterPaths})
   * @param participantId this participant's id as shown in the latch
   */
  public ZkLeaderElection(CuratorFramework client, String clusterName, String participantId) {
    this.latch =
        new LeaderLatch(client, new ClusterPaths(clusterName).managerLeader(), participantId);
  }

  @Override
  public void start(Listener listener, Executor executor) {
    latch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            listener.isLeader();
          }

          @Override
          public void notLeader() {
            listener.notLeader();
          }
        },
        executor);
    ZkCalls.run(
        "start leader latch",
        () -> {
          latch.start();
          return null;
        });
  }

  @Override
  public boolean hasLeadership() {
    return latch.hasLeadership();
  }

  @Override
  public String id() {
    return latch.getId();
  }

  @Override
  public void close() {
    try {
      latch.close();
    } catch (IllegalStateException e) {
      // Never started or already closed.
    } catch (IOException e) {
      log.warn("leaving the election of {} failed: {}", latch.getId(), e.toString());
    }
  }
}
