package dev.catena.config.zk;

import dev.catena.config.ClusterChange;
import dev.catena.config.ClusterConfiguration;
import dev.catena.config.ClusterNotFoundException;
import dev.catena.config.InvalidConfigException;
import dev.catena.config.Lease;
import dev.catena.config.MembershipListener;
import dev.catena.config.NodeIdInUseException;
import dev.catena.config.StoreUnavailableException;
import dev.catena.config.Subscription;
import dev.catena.config.Versioned;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SyncStatus;
import java.io.Closeable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage node's link to the cluster state: registers the node, keeps it registered, delivers
 * configuration changes, and fences the node when it may have lost its session.
 *
 * <ul>
 *   <li><b>Registration.</b> Creates the ephemeral {@code nodes/<nodeId>} with this node's {@link
 *       NodeInfo} and a fresh incarnation. When the session changes (expiry, then Curator's new
 *       session) or the znode vanishes, it registers again with a new incarnation. A create
 *       repeated after CONNECTION_LOSS that finds the znode owned by the current session counts as
 *       done; one owned by another session raises {@link NodeIdInUseException} (logged; retried on
 *       the next node-list change, e.g. when that session's znode expires).
 *   <li><b>Configuration.</b> Watches nodes, chains and shard map; on every change, and on a
 *       re-sync after reconnection, re-reads them and delivers a {@link ClusterConfiguration} (the
 *       incarnation of the current registration, live nodes, every chain, shard map) if it differs
 *       from the last one. The node is a member only where a chain lists it with that incarnation.
 *   <li><b>Self-fencing</b> (DESIGN §4 invariant 7, §4a "Zombies"). {@link #leaseValid()} is true
 *       only while Curator reports CONNECTED/RECONNECTED and the last heartbeat round-trip ({@code
 *       checkExists} of the own znode, owned by the current session) was sent less than the lease
 *       ago on the injected monotonic clock. Check it on every request. On SUSPENDED or LOST the
 *       listener's {@link MembershipListener#onFenced} is called, and the next configuration after
 *       that is delivered even if unchanged.
 * </ul>
 *
 * <p>Threads: one worker does all ZooKeeper reads and writes; one delivery thread calls the
 * listener, in order, so a slow read never delays {@code onFenced}; heartbeats are asynchronous.
 */
public final class NodeAgent implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

  private final CuratorFramework client;
  private final ZkClusterStore store;
  private final NodeInfo self;
  private final String nodePath;
  private final MembershipListener listener;
  private final LeaseSettings settings;
  private final Lease lease;
  private final Supplier<String> incarnations;
  private final ScheduledExecutorService worker;
  private final ExecutorService delivery;
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private final ConnectionStateListener stateListener = this::onState;
  private volatile boolean connected;
  private volatile long registeredSession;
  private volatile String incarnation = "";
  private String pendingIncarnation; // worker thread only
  private long incarnationSession; // worker thread only
  private ClusterConfiguration lastDelivered; // worker thread only
  private long deliveries; // worker thread only
  private volatile boolean forceDelivery;
  private Subscription subscription;

  /**
   * @param client a started Curator client
   * @param clusterName the cluster to join
   * @param self this node's address and capacity; its incarnation field is ignored
   * @param listener receives configurations and fencing notices
   * @param settings lease and heartbeat timing
   * @param nanoClock monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   * @param incarnations a new, unique incarnation string per call (start time + random)
   */
  public NodeAgent(
      CuratorFramework client,
      String clusterName,
      NodeInfo self,
      MembershipListener listener,
      LeaseSettings settings,
      LongSupplier nanoClock,
      Supplier<String> incarnations) {
    this.client = client;
    this.store = new ZkClusterStore(client, clusterName);
    this.self = self;
    this.nodePath = store.paths().node(self.getNodeId());
    this.listener = listener;
    this.settings = settings;
    this.lease = new Lease(settings.lease().toNanos(), nanoClock);
    this.incarnations = incarnations;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(daemon("catena-agent-" + self.getNodeId()));
    this.delivery =
        Executors.newSingleThreadExecutor(daemon("catena-agent-listener-" + self.getNodeId()));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Registers the node, starts watching and heartbeating. */
  public void start() {
    client.getConnectionStateListenable().addListener(stateListener);
    connected = client.getZookeeperClient().isConnected();
    subscription = store.watch(this::onChange);
    submit(this::registerAndRefresh);
    scheduleHeartbeat();
  }

  /**
   * Heartbeats every {@code settings.heartbeat()}, or every third of the lease if the server
   * granted a shorter session and the lease was capped to it.
   */
  private void scheduleHeartbeat() {
    long lease = this.lease.durationNanos();
    long hb =
        lease < settings.lease().toNanos()
            ? Math.min(settings.heartbeat().toNanos(), lease / 3)
            : settings.heartbeat().toNanos();
    try {
      worker.schedule(
          () -> {
            heartbeat();
            scheduleHeartbeat();
          },
          hb,
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** The lease duration in force: the configured one, capped by the negotiated session. */
  public java.time.Duration leaseDuration() {
    return java.time.Duration.ofNanos(lease.durationNanos());
  }

  /** True if this node may serve: connected, and its lease has not lapsed. */
  public boolean leaseValid() {
    return connected && lease.isValid();
  }

  /**
   * Reports this node's progress joining a chain (DESIGN §4 "Add a tail"): stores {@code status} at
   * {@code sync/<chainId>/<nodeId>}, replacing the previous report. The coordinator promotes the
   * node to ACTIVE tail once a report says {@code caught_up} for the chain's <em>current</em>
   * epoch, so after an epoch change while joining the node reports again with the new epoch.
   * Blocking (one ZooKeeper write on the caller's thread); the write is unconditional and safe to
   * repeat, so on {@link StoreUnavailableException} repeat the same call.
   *
   * @throws InvalidConfigException if {@code status} names another node or a negative chain id
   * @throws StoreUnavailableException if ZooKeeper cannot be reached; outcome unknown
   */
  public void reportSync(SyncStatus status) {
    if (!status.getNodeId().equals(self.getNodeId())) {
      throw new InvalidConfigException(
          "node " + self.getNodeId() + " cannot report for " + status.getNodeId());
    }
    store.writeSyncStatus(status);
  }

  /**
   * Publishes this node's storage figures (for {@code cluster status}). Blocking, one ZooKeeper
   * write; safe to repeat after {@link StoreUnavailableException}.
   */
  public void publishStorageStats(dev.catena.proto.v1.NodeStorageStats stats) {
    store.writeStorageStats(stats.toBuilder().setNodeId(self.getNodeId()).build());
  }

  /** The incarnation of the current registration ("" before the first one). */
  public String incarnation() {
    return incarnation;
  }

  private void onState(CuratorFramework c, ConnectionState state) {
    switch (state) {
      case CONNECTED, RECONNECTED -> {
        connected = true;
        submit(this::registerAndRefresh);
      }
      case SUSPENDED, LOST, READ_ONLY -> {
        connected = false;
        if (state == ConnectionState.LOST) {
          lease.revoke();
        }
        forceDelivery = true;
        deliver(() -> listener.onFenced("zookeeper connection " + state));
      }
    }
  }

  private void onChange(ClusterChange change) {
    switch (change.kind()) {
      case NODES, RESYNC -> submit(this::registerAndRefresh);
      case CHAINS, SHARD_MAP -> requestRefresh();
      default -> {
        // Buckets do not concern the node's membership.
      }
    }
  }

  private void submit(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      // Closed: late notifications from Curator threads are dropped.
    }
  }

  private void requestRefresh() {
    if (refreshPending.compareAndSet(false, true)) {
      submit(this::refresh);
    }
  }

  private void registerAndRefresh() {
    try {
      ensureRegistered();
    } catch (NodeIdInUseException e) {
      log.warn("{}", e.getMessage());
    } catch (StoreUnavailableException | ClusterNotFoundException e) {
      log.warn("registration of {} deferred: {}", self.getNodeId(), e.getMessage());
    }
    requestRefresh();
  }

  /** Creates the own ephemeral znode unless the current session already owns it. */
  private void ensureRegistered() {
    long session = currentSession();
    if (session != 0 && session == registeredSession && exists()) {
      return;
    }
    if (session != registeredSession) {
      lease.revoke(); // round-trips of the old session must not count for the new one
    }
    if (pendingIncarnation == null || session != incarnationSession) {
      // One incarnation per session: retries within a session (e.g. while the previous session's
      // znode has not expired yet) reuse it.
      pendingIncarnation = incarnations.get();
      incarnationSession = session;
    }
    String inc = pendingIncarnation;
    NodeInfo info = self.toBuilder().setIncarnation(inc).build();
    Stat stat = new Stat();
    long sentAt = lease.now();
    try {
      ZkCalls.keeper(
          "register " + nodePath,
          () ->
              client
                  .create()
                  .storingStatIn(stat)
                  .withMode(CreateMode.EPHEMERAL)
                  .forPath(nodePath, info.toByteArray()));
    } catch (KeeperException.NodeExistsException e) {
      Stat existing = ZkCalls.run("stat " + nodePath, () -> client.checkExists().forPath(nodePath));
      if (existing == null || existing.getEphemeralOwner() != session) {
        throw new NodeIdInUseException(
            "node id " + self.getNodeId() + " is registered by another session", e);
      }
      // Our own create, repeated after CONNECTION_LOSS: already done.
      stat.setEphemeralOwner(existing.getEphemeralOwner());
    } catch (KeeperException e) {
      throw new ClusterNotFoundException("cannot register at " + nodePath + ": " + e.code());
    }
    registeredSession = stat.getEphemeralOwner();
    incarnation = inc;
    limitLeaseToNegotiatedSession();
    lease.renew(sentAt);
    log.info("node {} registered, incarnation {}", self.getNodeId(), inc);
  }

  /**
   * The server may grant a shorter session than requested (its {@code maxSessionTimeout}): derive
   * the lease from the negotiated timeout, or a node could keep serving on a lease that outlives
   * its session and the coordinator's replacement of it (a zombie).
   */
  private void limitLeaseToNegotiatedSession() {
    int negotiatedMs =
        ZkCalls.run(
            "session timeout",
            () -> client.getZookeeperClient().getZooKeeper().getSessionTimeout());
    if (negotiatedMs > 0) {
      long bound =
          LeaseSettings.forSessionTimeout(java.time.Duration.ofMillis(negotiatedMs))
              .lease()
              .toNanos();
      if (bound < lease.durationNanos()) {
        log.warn(
            "node {}: session granted {} ms (less than requested); lease capped at {} ms",
            self.getNodeId(),
            negotiatedMs,
            bound / 1_000_000);
      }
      lease.limitTo(bound);
    }
  }

  private boolean exists() {
    return ZkCalls.run("exists " + nodePath, () -> client.checkExists().forPath(nodePath)) != null;
  }

  private long currentSession() {
    return ZkCalls.run(
        "session id", () -> client.getZookeeperClient().getZooKeeper().getSessionId());
  }

  /** Renews the lease by one asynchronous round-trip (also run by the periodic heartbeat). */
  void heartbeat() {
    if (!connected || registeredSession == 0) {
      return;
    }
    long sentAt = lease.now();
    long session = registeredSession;
    try {
      ZkCalls.run(
          "heartbeat",
          () ->
              client
                  .checkExists()
                  .inBackground((c, event) -> onHeartbeat(event, sentAt, session))
                  .forPath(nodePath));
    } catch (StoreUnavailableException e) {
      log.debug("heartbeat not sent: {}", e.getMessage());
    }
  }

  private void onHeartbeat(CuratorEvent event, long sentAt, long session) {
    Stat stat = event.getStat();
    if (event.getResultCode() == KeeperException.Code.OK.intValue()
        && stat != null
        && stat.getEphemeralOwner() == session
        && session == registeredSession) {
      boolean lapsed = !lease.isValid();
      lease.renew(sentAt);
      if (lapsed && connected) {
        // A configuration delivered while the lease had lapsed left the node fenced; deliver it
        // again now that the lease is valid, or the node stays fenced until the next change.
        forceDelivery = true;
        requestRefresh();
      }
    } else if (event.getResultCode() == KeeperException.Code.NONODE.intValue()) {
      registeredSession = 0; // our registration vanished: register again
      submit(this::registerAndRefresh);
    }
  }

  private void refresh() {
    refreshPending.set(false);
    ClusterConfiguration cfg;
    try {
      String inc = registeredInCurrentSession() ? incarnation : "";
      Map<Integer, ChainConfig> chains = new TreeMap<>();
      for (Versioned<ChainConfig> chain : store.readChains().values()) {
        chains.put(chain.value().getChainId(), chain.value());
      }
      cfg =
          new ClusterConfiguration(
              inc,
              store.readNodes(),
              chains,
              store.readShardMap().map(Versioned::value),
              deliveries + 1);
    } catch (StoreUnavailableException | ClusterNotFoundException e) {
      log.warn("configuration re-read failed: {}", e.getMessage());
      return;
    }
    boolean force = forceDelivery && connected;
    if (lastDelivered == null || force || !cfg.sameContent(lastDelivered)) {
      forceDelivery = false;
      deliveries++;
      lastDelivered = cfg;
      deliver(() -> listener.onConfiguration(cfg));
    }
  }

  /** True if the current session holds our registration (so {@link #incarnation} is ours now). */
  private boolean registeredInCurrentSession() {
    long session = registeredSession;
    return session != 0 && session == currentSession();
  }

  private void deliver(Runnable call) {
    try {
      delivery.execute(call);
    } catch (RejectedExecutionException e) {
      // Closed: nothing is delivered after close().
    }
  }

  /** Stops watching and heartbeating; the registration disappears when the client closes. */
  @Override
  public void close() {
    client.getConnectionStateListenable().removeListener(stateListener);
    if (subscription != null) {
      subscription.close();
    }
    worker.shutdownNow();
    delivery.shutdown();
    connected = false;
    lease.revoke();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)
          || !delivery.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("node agent threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
