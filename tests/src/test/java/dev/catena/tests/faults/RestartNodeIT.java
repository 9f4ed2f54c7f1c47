package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.tests.check.ChainObserver;
import dev.catena.tests.check.FaultCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Rejoin after restart, DESIGN §4 "Rejoin" and §4a "Role skew": kill -9 of a node under continuous
 * writes, the spare replaces it; the node is started again on its old data, rejoins as SYNCING,
 * becomes ACTIVE, and the roles return to the bootstrap layout (4 nodes, 4 chains: every node head
 * of one chain and tail of one). History linearizable, no acknowledged write lost. The node holds
 * data the workload does not touch, so its rejoin is a diff resync far smaller than that data.
 */
class RestartNodeIT {
  private static final int PRELOAD_OBJECTS = 800;
  private static final int PRELOAD_SIZE = 4096;

  @Test
  void restartedNodeRejoinsAndRolesAreRestored() throws Exception {
    try (var h = FaultHarness.start("restart", 4, 3, 31)) {
      var cluster = h.cluster();
      List<ClusterAdmin.ChainStatus> initial = cluster.status().chains();
      String victim = "n2";
      h.preload(PRELOAD_OBJECTS, PRELOAD_SIZE);
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
      var reports = new ConcurrentHashMap<Integer, ClusterAdmin.SyncProgress>();
      try (var observer = new ChainObserver(cluster::status, 20);
          var admin = ClusterAdmin.connect(cluster.zookeeper(), FaultCluster.CLUSTER);
          var watch =
              admin.watchSync(
                  p -> {
                    if (p.nodeId().equals(victim) && p.installed()) {
                      reports.put(p.chainId(), p);
                    }
                  })) {
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
      // §4 "Rejoin": the restarted node kept its data, so each resync of a chain it held carried
      // only the buckets that differ — far fewer bytes than the chain holds — and the totals it
      // announced are what the node then installed (SyncStatus as published in ZooKeeper). A
      // chain it joins on the way without holding it gets a full snapshot.
      List<Integer> held =
          initial.stream()
              .filter(c -> c.members().contains(victim))
              .map(ClusterAdmin.ChainStatus::chainId)
              .toList();
      System.out.printf("restart: %s held chains %s; install reports %s%n", victim, held, reports);
      assertThat(reports.keySet()).as("install reports of %s", victim).containsAll(held);
      long heldByChains = 0;
      for (int chain : held) {
        ClusterAdmin.SyncProgress p = reports.get(chain);
        String ctx = "chain " + chain + ": " + p;
        assertThat(p.plannedKnown()).as(ctx).isTrue();
        assertThat(p.diff()).as(ctx).isTrue();
        assertThat(p.bytes()).as(ctx).isEqualTo(p.plannedBytes());
        assertThat(p.keys()).as(ctx).isEqualTo(p.plannedKeys());
        assertThat(p.bytes() * 10).as(ctx).isLessThan(p.sourceBytes());
        heldByChains += p.sourceBytes();
        System.out.printf(
            "restart: chain %d resync %d of %d keys, %d of %d bytes%n",
            p.chainId(), p.keys(), p.sourceKeys(), p.bytes(), p.sourceBytes());
      }
      assertThat(heldByChains)
          .as("what the chains %s rejoined hold", victim)
          .isGreaterThan((long) PRELOAD_OBJECTS * PRELOAD_SIZE * held.size() / 8);
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
