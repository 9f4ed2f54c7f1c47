package dev.catena.config.zk;

import static dev.catena.config.zk.ZkTestSupport.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.catena.config.BootstrapPlan;
import dev.catena.config.CasWrite;
import dev.catena.config.ClusterBootstrap;
import dev.catena.config.ClusterConfiguration;
import dev.catena.config.ConfigUpdate;
import dev.catena.config.InvalidConfigException;
import dev.catena.config.MembershipListener;
import dev.catena.config.Versioned;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DESIGN §4 invariant 7 and §4a (zombies): registration, configuration delivery, self-fencing. */
class NodeAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private TestingServer server;
  private CuratorFramework agentClient;
  private CuratorFramework admin;
  private ZkClusterStore store;
  private final Recorder recorder = new Recorder();
  private final AtomicInteger incarnations = new AtomicInteger();
  private NodeAgent agent;

  /** Records what the agent tells the node. */
  static final class Recorder implements MembershipListener {
    final List<ClusterConfiguration> configs = new CopyOnWriteArrayList<>();
    final List<String> fences = new CopyOnWriteArrayList<>();

    @Override
    public void onConfiguration(ClusterConfiguration cfg) {
      configs.add(cfg);
    }

    @Override
    public void onFenced(String reason) {
      fences.add(reason);
    }

    ClusterConfiguration last() {
      return configs.get(configs.size() - 1);
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    server = new TestingServer();
    agentClient = ZkTestSupport.client(server);
    admin = ZkTestSupport.client(server);
    String cluster = ZkTestSupport.freshCluster();
    store = new ZkClusterStore(admin, cluster);
    store.createCluster(SETTINGS);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    agentClient.close();
    admin.close();
    server.close();
  }

  private NodeAgent startAgent(LeaseSettings lease, LongSupplier clock) {
    agent =
        new NodeAgent(
            agentClient,
            store.paths().root().substring("/catena/".length()),
            ZkTestSupport.node("n0"),
            recorder,
            lease,
            clock,
            () -> "inc-" + incarnations.incrementAndGet());
    agent.start();
    return agent;
  }

  private Optional<NodeInfo> registered() {
    return Optional.ofNullable(store.readNodes().get("n0"));
  }

  @Test
  void registersAndDeliversConfigurationChanges() throws Exception {
    startAgent(LeaseSettings.forSessionTimeout(ZkTestSupport.SESSION), System::nanoTime);
    await().atMost(WAIT).until(() -> registered().isPresent());
    NodeInfo info = registered().orElseThrow();
    assertThat(info.getIncarnation()).isEqualTo("inc-1");
    assertThat(info.getHost()).isEqualTo("127.0.0.1");
    await().atMost(WAIT).until(agent::leaseValid);

    ZkTestSupport.register(admin, store, "n1");
    ZkTestSupport.register(admin, store, "n2");
    ZkTestSupport.register(admin, store, "n3");
    BootstrapPlan plan = ClusterBootstrap.plan(SETTINGS, List.of("n0", "n1", "n2", "n3"));
    store.publish(
        new ConfigUpdate(
            plan.chains().stream().map(CasWrite::create).toList(),
            Optional.of(CasWrite.create(plan.shardMap()))));

    await()
        .atMost(WAIT)
        .until(() -> !recorder.configs.isEmpty() && recorder.last().shardMap().isPresent());
    ClusterConfiguration cfg = recorder.last();
    assertThat(cfg.shardMap()).contains(plan.shardMap());
    // Every chain is delivered (n0 is in chains 0, 2 and 3 of the rotated table, not in 1), with
    // the incarnation of the registration it was read under.
    assertThat(cfg.chains().keySet()).containsExactly(0, 1, 2, 3);
    assertThat(cfg.incarnation()).isEqualTo("inc-1");
    assertThat(cfg.nodes().keySet()).containsExactly("n0", "n1", "n2", "n3");

    // A membership change that cuts n0 out of one of its chains reaches n0: otherwise it would
    // go on serving in its old role there.
    Versioned<ChainConfig> c2 = store.readChain(2).orElseThrow();
    ChainConfig next =
        c2.value().toBuilder()
            .setEpoch(2)
            .clearMembers()
            .addAllMembers(
                c2.value().getMembersList().stream()
                    .filter(m -> !m.getNodeId().equals("n0"))
                    .toList())
            .build();
    store.publish(new ConfigUpdate(List.of(CasWrite.replace(c2, next)), Optional.empty()));
    await().atMost(WAIT).until(() -> recorder.last().chains().get(2).equals(next));

    long[] versions = recorder.configs.stream().mapToLong(ClusterConfiguration::version).toArray();
    for (int i = 1; i < versions.length; i++) {
      assertThat(versions[i]).isGreaterThan(versions[i - 1]);
    }
  }

  @Test
  void fencesWhenServerStopsAndRecoversAfterRestart() throws Exception {
    startAgent(LeaseSettings.forSessionTimeout(ZkTestSupport.SESSION), System::nanoTime);
    await().atMost(WAIT).until(agent::leaseValid);

    server.stop();
    await().atMost(WAIT).until(() -> !agent.leaseValid());
    await()
        .atMost(WAIT)
        .until(() -> recorder.fences.stream().anyMatch(r -> r.contains("SUSPENDED")));

    server.restart();
    await().atMost(WAIT).until(agent::leaseValid);
  }

  /**
   * A node fenced by a configuration that arrived while its lease had lapsed (e.g. after a long
   * SUSPENDED) is told again once a heartbeat renews the lease; otherwise it would stay fenced,
   * though registered and healthy, until the next configuration change (found by the partition
   * check: a tail fenced for minutes stalled a join).
   */
  @Test
  void aHeartbeatThatRenewsALapsedLeaseDeliversTheConfigurationAgain() {
    AtomicLong clock = new AtomicLong(0);
    startAgent(new LeaseSettings(Duration.ofSeconds(10), Duration.ofSeconds(9)), clock::get);
    await().atMost(WAIT).until(() -> agent.leaseValid() && !recorder.configs.isEmpty());
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(agent.leaseValid()).isFalse();
    int before = recorder.configs.size();

    agent.heartbeat();

    await().atMost(WAIT).until(() -> recorder.configs.size() > before);
    assertThat(agent.leaseValid()).isTrue();
    assertThat(recorder.last().incarnation()).isEqualTo(agent.incarnation());
  }

  @Test
  void leaseLapsesOnTheInjectedClockAndHeartbeatRenewsIt() {
    AtomicLong clock = new AtomicLong(0);
    // The longest lease the 6 s session allows, and a heartbeat long enough that no periodic
    // renewal interferes; the test renews by hand.
    startAgent(new LeaseSettings(Duration.ofSeconds(4), Duration.ofMillis(3900)), clock::get);
    await().atMost(WAIT).until(agent::leaseValid);

    clock.addAndGet(Duration.ofSeconds(4).toNanos()); // frozen node wakes: 4 s passed
    assertThat(agent.leaseValid()).isFalse();

    agent.heartbeat(); // one round-trip sent at the new time renews the lease
    await().atMost(WAIT).until(agent::leaseValid);
    clock.addAndGet(Duration.ofMillis(3900).toNanos());
    assertThat(agent.leaseValid()).isTrue();
  }

  @Test
  void sessionExpiryReRegistersWithNewIncarnation() throws Exception {
    startAgent(LeaseSettings.forSessionTimeout(ZkTestSupport.SESSION), System::nanoTime);
    await().atMost(WAIT).until(() -> registered().isPresent() && agent.leaseValid());
    long oldSession = agentClient.getZookeeperClient().getZooKeeper().getSessionId();

    // Expires the session on the client side only: the server keeps the old session (and its
    // znode) until its own timeout, so the agent first finds the id held by another session and
    // must register once that znode is gone.
    KillSession.kill(agentClient.getZookeeperClient().getZooKeeper());

    await().atMost(WAIT).until(() -> recorder.fences.stream().anyMatch(r -> r.contains("LOST")));
    await()
        .atMost(WAIT)
        .until(
            () ->
                registered().map(NodeInfo::getIncarnation).orElse("").equals("inc-2")
                    && agent.leaseValid());
    assertThat(agent.incarnation()).isEqualTo("inc-2");
    assertThat(incarnations.get()).as("one incarnation per session").isEqualTo(2);
    await().atMost(WAIT).until(() -> recorder.last().incarnation().equals("inc-2"));

    assertThat(agentClient.getZookeeperClient().getZooKeeper().getSessionId())
        .isNotEqualTo(oldSession);
  }

  @Test
  void reportSyncWritesOwnStatusAndRejectsOthers() {
    NodeAgent agent =
        startAgent(LeaseSettings.forSessionTimeout(ZkTestSupport.SESSION), System::nanoTime);
    SyncStatus mine =
        SyncStatus.newBuilder().setChainId(1).setEpoch(2).setNodeId("n0").setCaughtUp(true).build();
    agent.reportSync(mine);
    agent.reportSync(mine); // safe to repeat
    assertThat(store.readSyncStatuses()).containsExactly(mine);
    assertThatThrownBy(() -> agent.reportSync(mine.toBuilder().setNodeId("n9").build()))
        .isInstanceOf(InvalidConfigException.class);
  }

  // Issue: the lease was derived from the requested session timeout; a server with a lower
  // maxSessionTimeout grants less, and a node could then serve on after its session expired.
  @Test
  void theLeaseFollowsTheSessionTheServerGranted() throws Exception {
    var spec =
        new org.apache.curator.test.InstanceSpec(
            null, -1, -1, -1, true, -1, 100, -1, java.util.Map.of("maxSessionTimeout", "2000"));
    try (var small = new TestingServer(spec, true);
        var requested30s =
            CuratorClients.newClient(
                small.getConnectString(), java.time.Duration.ofSeconds(30), WAIT)) {
      requested30s.start();
      var adminOfSmall = ZkTestSupport.client(small);
      try {
        String cluster = ZkTestSupport.freshCluster();
        var smallStore = new ZkClusterStore(adminOfSmall, cluster);
        smallStore.createCluster(SETTINGS);
        try (var capped =
            new NodeAgent(
                requested30s,
                cluster,
                ZkTestSupport.node("n0"),
                recorder,
                LeaseSettings.forSessionTimeout(java.time.Duration.ofSeconds(30)),
                System::nanoTime,
                () -> "inc-" + incarnations.incrementAndGet())) {
          capped.start();
          await().atMost(WAIT).until(capped::leaseValid);
          assertThat(capped.leaseDuration())
              .as("lease within 2/3 of the granted 2 s session")
              .isLessThanOrEqualTo(java.time.Duration.ofMillis(1334));
          // Heartbeats follow the shorter lease: it stays valid over several lease periods.
          for (int i = 0; i < 3; i++) {
            await().pollDelay(capped.leaseDuration()).atMost(WAIT).until(capped::leaseValid);
          }
        }
      } finally {
        adminOfSmall.close();
      }
    }
  }
}
