package dev.catena.config.zk;

import static dev.catena.config.zk.ZkTestSupport.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.config.BootstrapPlan;
import dev.catena.config.BootstrapPolicy;
import dev.catena.config.ClusterBootstrap;
import dev.catena.config.Coordinator;
import dev.catena.config.Versioned;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN §6: one active coordinator through LeaderLatch; bootstrap once enough nodes register. */
class CoordinatorTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static TestingServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new TestingServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Test
  void exactlyOneActiveAndStandbyTakesOver() throws Exception {
    String cluster = ZkTestSupport.freshCluster();
    try (CuratorFramework c1 = ZkTestSupport.client(server);
        CuratorFramework c2 = ZkTestSupport.client(server)) {
      ZkClusterStore s1 = new ZkClusterStore(c1, cluster);
      s1.createCluster(SETTINGS);
      Coordinator a =
          new Coordinator(s1, new ZkLeaderElection(c1, cluster, "coord-a"), new BootstrapPolicy(3));
      Coordinator b =
          new Coordinator(
              new ZkClusterStore(c2, cluster),
              new ZkLeaderElection(c2, cluster, "coord-b"),
              new BootstrapPolicy(3));
      try (b) {
        a.start();
        b.start();
        await().atMost(WAIT).until(() -> a.isActive() || b.isActive());
        assertThat(a.isActive() && b.isActive()).isFalse();

        Coordinator leader = a.isActive() ? a : b;
        Coordinator standby = leader == a ? b : a;
        leader.close();
        await().atMost(WAIT).until(standby::isActive);
        assertThat(leader.isActive()).isFalse();
      } finally {
        a.close();
      }
    }
  }

  @Test
  void bootstrapsOnceExpectedNodesRegistered() throws Exception {
    String cluster = ZkTestSupport.freshCluster();
    try (CuratorFramework coordClient = ZkTestSupport.client(server);
        CuratorFramework nodes = ZkTestSupport.client(server)) {
      ZkClusterStore store = new ZkClusterStore(coordClient, cluster);
      store.createCluster(SETTINGS);
      try (Coordinator coordinator =
          new Coordinator(
              store, new ZkLeaderElection(coordClient, cluster, "coord"), new BootstrapPolicy(4))) {
        coordinator.start();
        await().atMost(WAIT).until(coordinator::isActive);

        ZkClusterStore nodeStore = new ZkClusterStore(nodes, cluster);
        for (String id : List.of("n3", "n1", "n2")) {
          ZkTestSupport.register(nodes, nodeStore, id);
        }
        // Three of four expected: the coordinator sees each join and must not bootstrap yet.
        await().atMost(WAIT).until(() -> store.readNodes().size() == 3);
        assertThat(store.readShardMap()).isEmpty();

        ZkTestSupport.register(nodes, nodeStore, "n0");
        await().atMost(WAIT).until(() -> store.readShardMap().isPresent());

        BootstrapPlan expected =
            ClusterBootstrap.plan(SETTINGS, List.of("n0", "n1", "n2", "n3"), n -> "i1");
        assertThat(store.readShardMap().orElseThrow().value()).isEqualTo(expected.shardMap());
        assertThat(store.readChains().values().stream().map(Versioned::value).toList())
            .isEqualTo(expected.chains());
        assertThat(coordinator.publishedUpdates()).isEqualTo(1);
      }
    }
  }

  @Test
  void newLeaderBootstrapsNodesThatRegisteredBeforeIt() throws Exception {
    String cluster = ZkTestSupport.freshCluster();
    try (CuratorFramework client = ZkTestSupport.client(server)) {
      ZkClusterStore store = new ZkClusterStore(client, cluster);
      store.createCluster(SETTINGS);
      for (String id : List.of("a", "b", "c")) {
        ZkTestSupport.register(client, store, id);
      }
      try (Coordinator coordinator =
          new Coordinator(
              store, new ZkLeaderElection(client, cluster, "late"), new BootstrapPolicy(3))) {
        coordinator.start();
        await().atMost(WAIT).until(() -> store.readShardMap().isPresent());
        assertThat(store.readChains()).hasSize(3);
      }
    }
  }
}
