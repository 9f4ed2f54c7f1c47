package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.tests.check.ChainObserver;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rejoin after restart, DESIGN §4 "Rejoin" and §4a "Role skew": kill -9 of a node under continuous
 * writes, the spare replaces it; the node is started again on its old data, rejoins as SYNCING,
 * becomes ACTIVE, and the roles return to the bootstrap layout (4 nodes, 4 chains: every node head
 * of one chain and tail of one). History linearizable, no acknowledged write lost.
 */
class RestartNodeIT {
  @Test
  void restartedNodeRejoinsAndRolesAreRestored() throws Exception {
    try (var h = FaultHarness.start("restart", 4, 3, 31)) {
      var cluster = h.cluster();
      List<ClusterAdmin.ChainStatus> initial = cluster.status().chains();
      String victim = "n2";
      h.awaitMoreOps(60);
      cluster.kill(victim);
      await(victim + " removed and every chain repaired")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  cluster.isHealthyWithout(Set.of(victim))
                      && cluster.status().chains().stream()
                          .noneMatch(c -> c.members().contains(victim)));
      h.awaitMoreOps(60);
      try (var observer = new ChainObserver(cluster::status, 20)) {
        cluster.restart(victim);
        await(victim + " rejoined and roles restored")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    cluster.isHealthy()
                        && members(cluster.status().chains()).equals(members(initial)));
        assertThat(observer.sawSyncing(victim)).as("%s rejoined as SYNCING", victim).isTrue();
      }
      ClusterAdmin.Status end = cluster.status();
      for (ClusterAdmin.NodeStatus n : end.nodes()) {
        assertThat(n.heads()).as("chains headed by %s", n.nodeId()).isEqualTo(1);
        assertThat(n.tails()).as("chains ending at %s", n.nodeId()).isEqualTo(1);
      }
      h.awaitMoreOps(50);
      h.finishAndCheck();
    }
  }

  private static List<List<String>> members(List<ClusterAdmin.ChainStatus> chains) {
    return chains.stream().map(ClusterAdmin.ChainStatus::members).toList();
  }
}
