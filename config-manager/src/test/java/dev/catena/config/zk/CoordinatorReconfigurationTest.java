package dev.catena.config.zk;

import static dev.catena.config.zk.ZkTestSupport.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.config.Coordinator;
import dev.catena.config.Reconfigurer;
import dev.catena.config.Versioned;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §4 "Reconfiguration" and §6 against a real ZooKeeper: a node's session ends, the
 * coordinator removes it (epoch + 1) and adds the spare as SYNCING (epoch + 1); the active
 * coordinator dies before the spare catches up, and the standby finishes the job when the spare
 * reports caught up; a drain request then moves a node out of every chain.
 */
class CoordinatorReconfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TestingServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new TestingServer();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static String render(ChainConfig c) {
    StringBuilder b = new StringBuilder().append(c.getEpoch()).append(':');
    for (ChainMember m : c.getMembersList()) {
      b.append(m.getNodeId())
          .append(m.getState() == MemberState.SYNCING ? "~" : "")
          .append(m.getLeaving() ? "! " : " ");
    }
    return b.toString().trim();
  }

  private static List<String> chains(ZkClusterStore store) {
    return store.readChains().values().stream().map(Versioned::value).map(c -> render(c)).toList();
  }

  /** {@code node} reports the current epoch of every chain, caught up. */
  private static void reportEpochs(ZkClusterStore store, String node) {
    for (Map.Entry<Integer, Versioned<ChainConfig>> e : store.readChains().entrySet()) {
      store.writeSyncStatus(
          SyncStatus.newBuilder()
              .setChainId(e.getKey())
              .setEpoch(e.getValue().value().getEpoch())
              .setNodeId(node)
              .setCaughtUp(true)
              .build());
    }
  }

  @Test
  void lostNodeIsReplacedAndStandbyFinishesPromotion() throws Exception {
    String cluster = ZkTestSupport.freshCluster();
    CuratorFramework coordA = ZkTestSupport.client(server);
    CuratorFramework n1 = ZkTestSupport.client(server);
    CuratorFramework n3 = ZkTestSupport.client(server);
    try (CuratorFramework coordB = ZkTestSupport.client(server);
        CuratorFramework others = ZkTestSupport.client(server)) {
      ZkClusterStore store = new ZkClusterStore(coordB, cluster);
      store.createCluster(SETTINGS);
      Coordinator a =
          new Coordinator(
              new ZkClusterStore(coordA, cluster),
              new ZkLeaderElection(coordA, cluster, "a"),
              new Reconfigurer(3, false));
      a.start();
      await().atMost(WAIT).until(a::isActive);
      ZkTestSupport.register(others, store, "n0");
      ZkTestSupport.register(n1, store, "n1");
      ZkTestSupport.register(others, store, "n2");
      await().atMost(WAIT).until(() -> store.readChains().size() == 3);
      ZkTestSupport.register(n3, store, "n3"); // a spare
      assertThat(chains(store)).containsExactly("1:n0 n1 n2", "1:n1 n2 n0", "1:n2 n0 n1");

      try (Coordinator b =
          new Coordinator(
              store, new ZkLeaderElection(coordB, cluster, "b"), new Reconfigurer(3, false))) {
        b.start();
        n1.close(); // the session ends: n1's registration vanishes
        // Removed (epoch 2), then the spare joins as SYNCING after the tail (epoch 3).
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(chains(store))
                        .containsExactly("3:n0 n2 n3~", "3:n2 n0 n3~", "3:n2 n0 n3~"));

        a.close(); // the active coordinator dies before the spare caught up
        coordA.close();
        await().atMost(WAIT).until(b::isActive);
        reportEpochs(new ZkClusterStore(n3, cluster), "n3");
        await()
            .atMost(WAIT)
            .untilAsserted(
                () ->
                    assertThat(chains(store))
                        .containsExactly("4:n0 n2 n3", "4:n2 n0 n3", "4:n2 n0 n3"));
        // Reports of promoted members are tidied away.
        await().atMost(WAIT).until(() -> store.readSyncStatuses().isEmpty());

        // Drain n3: no spare exists, so it is removed directly from each chain, one chain at a
        // time and in two steps, since it is the live tail: marked leaving (it stops serving
        // reads), then removed once it reported that epoch.
        store.requestRemoveNode("n3");
        store.requestRemoveNode("n3"); // repeating is harmless
        for (int round = 0; round < 3; round++) {
          await().atMost(WAIT).until(() -> chains(store).stream().anyMatch(c -> c.endsWith("!")));
          List<String> now = chains(store);
          assertThat(now.stream().filter(c -> c.endsWith("!"))).hasSize(1);
          int leaving = now.indexOf(now.stream().filter(c -> c.endsWith("!")).findFirst().get());
          reportEpochs(new ZkClusterStore(n3, cluster), "n3");
          await().atMost(WAIT).until(() -> !chains(store).get(leaving).contains("n3"));
        }
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> assertThat(chains(store)).containsExactly("6:n0 n2", "6:n2 n0", "6:n2 n0"));
        assertThat(store.readRequests().removeNodes()).containsExactly("n3");
        n3.close(); // the operator stops the drained node; the request is then done
        await().atMost(WAIT).until(() -> store.readRequests().removeNodes().isEmpty());
      }
    } finally {
      n1.close();
      n3.close();
      coordA.close();
    }
  }
}
