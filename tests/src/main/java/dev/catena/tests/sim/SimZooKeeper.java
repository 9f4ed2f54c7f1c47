package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import dev.catena.config.ClusterEvent;
import dev.catena.config.ClusterSnapshot;
import dev.catena.config.PendingRequests;
import dev.catena.config.Reconfiguration;
import dev.catena.config.Versioned;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The cluster state as ZooKeeper holds it (DESIGN.md §3), simulated: settings, the ephemeral
 * registrations of live nodes ({@link NodeInfo} with an incarnation that changes on every new
 * session), chain configurations with store versions, the shard map and the joiners' {@link
 * SyncStatus} reports. It builds the {@link ClusterSnapshot} the real coordinator policy reads,
 * applies the policy's decisions, and delivers every changed configuration to every node after that
 * node's own random delay (so nodes learn configurations at different times).
 *
 * <p><b>Incarnations.</b> Each membership names the incarnation of the registration it was granted
 * to ({@code ChainMember.incarnation}); the policy treats a member whose node registered again as
 * lost, and a node acts only where it is listed with its current incarnation (see {@link
 * SimNode#applyConfig}).
 */
final class SimZooKeeper {
  private final SimWorld world;
  private final ClusterSettings settings;
  private final TreeMap<String, NodeInfo> registered = new TreeMap<>();
  private final TreeMap<Integer, Versioned<ChainConfig>> chains = new TreeMap<>();
  private Optional<Versioned<ShardMap>> shardMap = Optional.empty();
  private final TreeMap<String, SyncStatus> sync = new TreeMap<>();
  private final TreeMap<Integer, ChainView> views = new TreeMap<>();
  private final Map<Integer, Map<Long, ChainView>> history = new HashMap<>();
  private SimCoordinator coordinator;

  SimZooKeeper(SimWorld world, ClusterSettings settings) {
    this.world = world;
    this.settings = settings;
  }

  void setCoordinator(SimCoordinator c) {
    this.coordinator = c;
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
    coordinator.wake(new ClusterEvent.NodeJoined(n.id()));
  }

  /** The session of {@code node} expired: its ephemeral registration vanishes. */
  void expire(String node) {
    registered.remove(node);
    world.trace.add("  zk expired " + node);
    coordinator.wake(new ClusterEvent.NodeLost(node));
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
          sync.put(key(s.getChainId(), n.id()), s);
          coordinator.wake(new ClusterEvent.SyncReported(s.getChainId(), n.id()));
        });
  }

  // ---- the coordinator's side ----------------------------------------------------------------

  /** The state as the coordinator reads it. */
  ClusterSnapshot snapshot() {
    return new ClusterSnapshot(
        settings, registered, chains, shardMap, List.copyOf(sync.values()), PendingRequests.NONE);
  }

  /** Publishes a decision of the policy (one atomic update) and delivers it to every node. */
  void publish(Reconfiguration r) {
    for (ChainConfig c : r.chains()) {
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
    r.shardMap()
        .ifPresent(
            m ->
                shardMap =
                    Optional.of(new Versioned<>(m, shardMap.map(x -> x.version() + 1).orElse(0))));
  }

  /** Deletes sync reports of nodes no longer joining that chain (as the coordinator tidies). */
  void tidy() {
    sync.values()
        .removeIf(
            s -> {
              ChainView v = views.get(s.getChainId());
              // Kept while the member joins (SYNCING) or leaves: the coordinator acts on them.
              return v == null
                  || !(v.syncing().contains(s.getNodeId()) || v.leaving().contains(s.getNodeId()));
            });
  }

  /** True once the shard map is published. */
  boolean bootstrapped() {
    return shardMap.isPresent();
  }
}
