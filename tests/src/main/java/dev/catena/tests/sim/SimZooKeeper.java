package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import dev.catena.config.CasWrite;
import dev.catena.config.ClusterChange;
import dev.catena.config.ClusterChangeListener;
import dev.catena.config.ClusterStateStore;
import dev.catena.config.ConfigUpdate;
import dev.catena.config.PendingRequests;
import dev.catena.config.StaleVersionException;
import dev.catena.config.StoreUnavailableException;
import dev.catena.config.Subscription;
import dev.catena.config.Versioned;
import dev.catena.proto.v1.BucketInfo;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster state as ZooKeeper holds it (DESIGN.md §3), simulated behind the production {@link
 * ClusterStateStore} interface, which the real {@link dev.catena.config.Coordinator} reads and
 * publishes through: settings, the ephemeral registrations of live nodes ({@link NodeInfo} with an
 * incarnation that changes on every new session), chain configurations with store versions, the
 * shard map and the joiners' {@link SyncStatus} reports. Watchers learn of registrations, expiries
 * and sync reports as {@link ClusterChange}s. Every published configuration is delivered to every
 * node after that node's own random delay (so nodes learn configurations at different times).
 *
 * <p><b>Compare-and-set and CONNECTION_LOSS</b> (DESIGN §4a). A publish applies all of its writes
 * or none; a write whose basis is stale fails with {@link StaleVersionException} unless the stored
 * value is the one it meant to write (a repeat after a lost connection). While faults are active, a
 * publish that did apply may still fail with {@link StoreUnavailableException} (the connection was
 * lost before the answer came), and a {@link ClusterChange.Kind#RESYNC} follows once the connection
 * is back, as the ZooKeeper store's watches deliver after a reconnect.
 *
 * <p><b>Incarnations.</b> Each membership names the incarnation of the registration it was granted
 * to ({@code ChainMember.incarnation}); the policy treats a member whose node registered again as
 * lost, and a node acts only where it is listed with its current incarnation (see {@link
 * SimNode#applyConfig}).
 *
 * <p>Operations the simulation does not use (buckets, operator requests, creating the cluster) are
 * refused with {@link UnsupportedOperationException}.
 */
final class SimZooKeeper implements ClusterStateStore {
  /** Chance that a publish that applied is answered with a lost connection (faults active). */
  static final double CONNECTION_LOSS_PROBABILITY = 0.05;

  /** A publish applied, but the coordinator saw CONNECTION_LOSS and waited for a re-sync. */
  static final String SCENARIO_CONNECTION_LOSS = "scenario coordinator-connection-loss";

  private final SimWorld world;
  private final ClusterSettings settings;
  private final TreeMap<String, NodeInfo> registered = new TreeMap<>();
  private final TreeMap<Integer, Versioned<ChainConfig>> chains = new TreeMap<>();
  private Optional<Versioned<ShardMap>> shardMap = Optional.empty();
  private final TreeMap<String, SyncStatus> sync = new TreeMap<>();
  private final TreeMap<Integer, ChainView> views = new TreeMap<>();
  private final Map<Integer, Map<Long, ChainView>> history = new HashMap<>();
  private final List<ClusterChangeListener> watchers = new ArrayList<>();

  SimZooKeeper(SimWorld world, ClusterSettings settings) {
    this.world = world;
    this.settings = settings;
  }

  /** The current chain configurations (with the incarnations of their members), by chain id. */
  List<ChainConfig> configs() {
    return chains.values().stream().map(Versioned::value).toList();
  }

  /** The current configuration of every chain, by chain id. */
  SortedMap<Integer, ChainView> views() {
    return Collections.unmodifiableSortedMap(views);
  }

  /** The configuration of {@code chainId} at {@code epoch}, or null if it never existed. */
  ChainView view(int chainId, long epoch) {
    return history.getOrDefault(chainId, Map.of()).get(epoch);
  }

  /** The chain length setting. */
  int chainLength() {
    return settings.getChainLength();
  }

  /** Ids of the registered (live) nodes. */
  Set<String> registered() {
    return Collections.unmodifiableSet(registered.keySet());
  }

  private static String key(int chainId, String node) {
    return chainId + "/" + node;
  }

  // ---- writes by nodes -----------------------------------------------------------------------

  /** {@code n} registers (a new session): its ephemeral node appears with a new incarnation. */
  void register(SimNode n) {
    NodeInfo info =
        NodeInfo.newBuilder()
            .setNodeId(n.id())
            .setHost("127.0.0.1")
            .setPort(1)
            .setIncarnation(n.registration())
            .build();
    registered.put(n.id(), info);
    world.trace.add("  zk register " + n.id() + " " + info.getIncarnation());
    notifyWatchers(ClusterChange.of(ClusterChange.Kind.NODES, n.id()));
  }

  /** The session of {@code node} expired: its ephemeral registration vanishes. */
  void expire(String node) {
    registered.remove(node);
    world.trace.add("  zk expired " + node);
    notifyWatchers(ClusterChange.of(ClusterChange.Kind.NODES, node));
  }

  /**
   * A joiner caught up ({@code Effect.CaughtUp}): it writes its report, retrying while ZooKeeper is
   * unreachable and its session lasts (as the node's sync reporter does).
   */
  void reportCaughtUp(SimNode n, int chainId, long epoch) {
    String reg = n.registration();
    SyncStatus s =
        SyncStatus.newBuilder()
            .setChainId(chainId)
            .setEpoch(epoch)
            .setNodeId(n.id())
            .setCaughtUp(true)
            .build();
    tryReport(n, reg, s);
  }

  private void tryReport(SimNode n, String reg, SyncStatus s) {
    world.scheduler.after(
        world.zkDelay(),
        "sync-report " + n.id() + " c" + s.getChainId() + " e" + s.getEpoch(),
        () -> {
          if (!n.alive() || !reg.equals(n.registration())) {
            return;
          }
          if (world.cutFromCoordinator.contains(n.id())) {
            // Retried for as long as this registration lives, as the node's reporter retries
            // until its session is gone (a cut longer than the session ends the registration).
            tryReport(n, reg, s);
            return;
          }
          writeSyncStatus(s);
        });
  }

  private void notifyWatchers(ClusterChange change) {
    for (ClusterChangeListener w : List.copyOf(watchers)) {
      w.onChange(change);
    }
  }

  // ---- ClusterStateStore: what the coordinator reads and writes -------------------------------

  @Override
  public void createCluster(ClusterSettings s) {
    throw new UnsupportedOperationException("the simulated cluster exists from the start");
  }

  @Override
  public ClusterSettings readSettings() {
    return settings;
  }

  @Override
  public Map<String, NodeInfo> readNodes() {
    return Collections.unmodifiableMap(new TreeMap<>(registered));
  }

  @Override
  public Optional<Versioned<ChainConfig>> readChain(int chainId) {
    return Optional.ofNullable(chains.get(chainId));
  }

  @Override
  public Map<Integer, Versioned<ChainConfig>> readChains() {
    return Collections.unmodifiableMap(new TreeMap<>(chains));
  }

  @Override
  public Optional<Versioned<ShardMap>> readShardMap() {
    return shardMap;
  }

  @Override
  public void writeSyncStatus(SyncStatus status) {
    sync.put(key(status.getChainId(), status.getNodeId()), status);
    notifyWatchers(
        ClusterChange.of(ClusterChange.Kind.SYNC, status.getChainId() + "/" + status.getNodeId()));
  }

  @Override
  public List<SyncStatus> readSyncStatuses() {
    return List.copyOf(sync.values());
  }

  @Override
  public boolean deleteSyncStatus(int chainId, String nodeId) {
    return sync.remove(key(chainId, nodeId)) != null;
  }

  @Override
  public void requestRemoveNode(String nodeId) {
    throw new UnsupportedOperationException("no operator requests in the simulation");
  }

  @Override
  public void requestRebalance() {
    throw new UnsupportedOperationException("no operator requests in the simulation");
  }

  @Override
  public PendingRequests readRequests() {
    return PendingRequests.NONE;
  }

  @Override
  public boolean completeRemoveNode(String nodeId) {
    return false;
  }

  @Override
  public boolean completeRebalance() {
    return false;
  }

  /**
   * Applies an update atomically (see the type's Javadoc for stale bases and CONNECTION_LOSS) and
   * delivers every changed configuration to every node.
   */
  @Override
  public void publish(ConfigUpdate update) {
    List<CasWrite<ChainConfig>> writes = new ArrayList<>();
    for (CasWrite<ChainConfig> w : update.chains()) {
      if (current(chains.get(w.value().getChainId()), w)) {
        writes.add(w);
      }
    }
    boolean shardMapDue =
        update.shardMap().isPresent() && current(shardMap.orElse(null), update.shardMap().get());
    world.count("coordinator-steps");
    for (CasWrite<ChainConfig> w : writes) {
      apply(w.value());
    }
    if (shardMapDue) {
      ShardMap m = update.shardMap().get().value();
      shardMap = Optional.of(new Versioned<>(m, shardMap.map(x -> x.version() + 1).orElse(0)));
    }
    if (world.faultsActive() && world.random.nextDouble() < CONNECTION_LOSS_PROBABILITY) {
      world.count(SCENARIO_CONNECTION_LOSS);
      world.trace.add("  zk connection loss after publish");
      world.scheduler.after(
          world.zkDelay(),
          "zk reconnected",
          () -> notifyWatchers(ClusterChange.of(ClusterChange.Kind.RESYNC)));
      throw new StoreUnavailableException("CONNECTION_LOSS (the update was applied)");
    }
  }

  /**
   * True if {@code w} is to be applied; false if the stored value is already the one it means to
   * write (a repeat); throws if its basis is stale.
   */
  private static <T> boolean current(Versioned<T> stored, CasWrite<T> w) {
    boolean basisHolds =
        w.isCreate() ? stored == null : stored != null && stored.version() == w.expectedVersion();
    if (basisHolds) {
      return true;
    }
    if (stored != null && stored.value().equals(w.value())) {
      return false;
    }
    throw new StaleVersionException(
        "expected version "
            + w.expectedVersion()
            + ", stored "
            + (stored == null ? "none" : stored.version()));
  }

  private void apply(ChainConfig c) {
    Versioned<ChainConfig> old = chains.get(c.getChainId());
    if (old != null && c.getEpoch() <= old.value().getEpoch()) {
      throw new IllegalStateException("epoch does not grow: " + old.value() + " -> " + c);
    }
    chains.put(c.getChainId(), new Versioned<>(c, old == null ? 0 : old.version() + 1));
    ChainView v = ChainView.fromConfig(c);
    views.put(v.chainId(), v);
    history.computeIfAbsent(v.chainId(), x -> new HashMap<>()).put(v.epoch(), v);
    world.trace.add(
        "  coordinator c" + v.chainId() + " e" + v.epoch() + " " + v.active() + v.syncing());
    for (SimNode n : world.nodes.values()) {
      world.deliverConfig(n, c);
    }
  }

  @Override
  public void createBucket(BucketInfo bucket) {
    throw new UnsupportedOperationException("no buckets in the simulation");
  }

  @Override
  public BucketInfo readBucket(String name) {
    throw new UnsupportedOperationException("no buckets in the simulation");
  }

  @Override
  public List<String> listBuckets() {
    return List.of();
  }

  @Override
  public boolean deleteBucket(String name) {
    throw new UnsupportedOperationException("no buckets in the simulation");
  }

  @Override
  public Subscription watch(ClusterChangeListener listener) {
    watchers.add(listener);
    return () -> watchers.remove(listener);
  }

  /** True once the shard map is published. */
  boolean bootstrapped() {
    return shardMap.isPresent();
  }
}
