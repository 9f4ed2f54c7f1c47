package dev.catena.deploy.zk;

import dev.catena.chain.runtime.NodeFence;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.SyncListener;
import dev.catena.config.ClusterConfiguration;
import dev.catena.config.MembershipListener;
import dev.catena.config.zk.CuratorClients;
import dev.catena.config.zk.LeaseSettings;
import dev.catena.config.zk.NodeAgent;
import dev.catena.proto.v1.NodeInfo;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a storage node's {@link NodeRuntime} to ZooKeeper: registers the node, delivers chain
 * configurations to the runtime, and feeds the node's {@link NodeFence} (which decides whether the
 * node may serve, DESIGN.md §4 invariant 7) with the session's events: each configuration with the
 * registration it was read under, and every SUSPENDED/LOST report. When the node's storage fails
 * the membership leaves the cluster at once (closes its session, so the registration vanishes and
 * the coordinator cuts the node out of its chains without waiting for a session timeout); the node
 * serves nothing until it is restarted, and then rejoins by resync.
 */
public final class ZkMembership implements AutoCloseable, BooleanSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(ZkMembership.class);

  private final CuratorFramework client;
  private final NodeAgent agent;
  private final SyncReporter reporter;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final java.util.concurrent.atomic.AtomicReference<ClusterConfiguration> latest;

  private ZkMembership(
      CuratorFramework client,
      NodeAgent agent,
      SyncReporter reporter,
      java.util.concurrent.atomic.AtomicReference<ClusterConfiguration> latest) {
    this.client = client;
    this.agent = agent;
    this.reporter = reporter;
    this.latest = latest;
  }

  /** The configuration delivered last (chains and node addresses), if any yet. */
  public java.util.Optional<ClusterConfiguration> configuration() {
    return java.util.Optional.ofNullable(latest.get());
  }

  /** Publishes the node's storage figures (for {@code cluster status}). */
  public void publishStorageStats(dev.catena.proto.v1.NodeStorageStats stats) {
    if (!closed.get()) {
      agent.publishStorageStats(stats);
    }
  }

  /** Reports this node's ZooKeeper session in {@code registry} ({@link ZkSessionMetrics}). */
  public void bindSessionMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    ZkSessionMetrics.bind(registry, client);
  }

  /** Lease check for the runtime: true while the session is connected and the lease is fresh. */
  @Override
  public boolean getAsBoolean() {
    return agent.leaseValid();
  }

  /**
   * Connects, registers {@code self}, starts delivering configurations to {@code runtime} and
   * session events to {@code fence}; the runtime's join events go to the ZooKeeper sync report and
   * then to {@code alsoNotify} (e.g. metrics).
   */
  public static ZkMembership start(
      String zookeeper,
      String cluster,
      NodeInfo self,
      Duration sessionTimeout,
      NodeRuntime runtime,
      NodeFence fence,
      SyncListener alsoNotify) {
    CuratorFramework client = CuratorClients.newClient(zookeeper, sessionTimeout, sessionTimeout);
    client.start();
    var holder = new NodeAgent[1];
    var latest = new java.util.concurrent.atomic.AtomicReference<ClusterConfiguration>();
    MembershipListener listener =
        new MembershipListener() {
          @Override
          public void onConfiguration(ClusterConfiguration cfg) {
            latest.set(cfg);
            // Every chain is passed: the runtime acts only where a chain lists this node with the
            // incarnation of the registration the configuration was read under.
            runtime.applyConfiguration(cfg.incarnation(), cfg.nodes(), cfg.chains().values());
            NodeAgent agent = holder[0];
            fence.configurationRead(cfg.incarnation(), agent == null ? "" : agent.incarnation());
          }

          @Override
          public void onFenced(String reason) {
            LOG.warn("node {} fenced: {}", self.getNodeId(), reason);
            fence.sessionInDoubt(reason);
          }
        };
    NodeAgent agent =
        new NodeAgent(
            client,
            cluster,
            self,
            listener,
            LeaseSettings.forSessionTimeout(sessionTimeout),
            System::nanoTime,
            () -> System.currentTimeMillis() + "-" + UUID.randomUUID());
    holder[0] = agent;
    agent.start();
    var reporter = new SyncReporter(agent, self.getNodeId());
    runtime.setSyncListener(new TeeSyncListener(java.util.List.of(reporter, alsoNotify)));
    var membership = new ZkMembership(client, agent, reporter, latest);
    runtime.setStorageFailureHandler(
        reason -> {
          LOG.error("node {} leaves the cluster: storage failed ({})", self.getNodeId(), reason);
          membership.close();
        });
    return membership;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    reporter.close();
    agent.close();
    client.close();
  }
}
