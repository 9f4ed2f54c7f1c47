package dev.catena.deploy.zk;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.config.ClusterSnapshot;
import dev.catena.config.Versioned;
import dev.catena.config.zk.CuratorClients;
import dev.catena.config.zk.ZkClusterStore;
import dev.catena.proto.ClusterPaths;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SyncStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/** Read-only administrative view of a cluster for the CLI: readiness and {@code cluster status}. */
public final class ClusterAdmin implements AutoCloseable {
  private final CuratorFramework client;
  private final ZkClusterStore store;
  private final String cluster;

  private ClusterAdmin(CuratorFramework client, ZkClusterStore store, String cluster) {
    this.client = client;
    this.store = store;
    this.cluster = cluster;
  }

  /**
   * Starts a client of ZooKeeper (its calls fail after the connection timeout if it is
   * unreachable).
   */
  public static ClusterAdmin connect(String zookeeper, String cluster) {
    CuratorFramework c =
        CuratorClients.newClient(zookeeper, Duration.ofSeconds(10), Duration.ofSeconds(5));
    c.start();
    return open(c, cluster);
  }

  /** An admin view over {@code client}, a started Curator client it owns (closes) from now on. */
  public static ClusterAdmin open(CuratorFramework client, String cluster) {
    return new ClusterAdmin(client, new ZkClusterStore(client, cluster), cluster);
  }

  /** True if at least {@code nodes} nodes are registered and a shard map is published. */
  public boolean isReady(int nodes) {
    try {
      return store.readNodes().size() >= nodes && store.readShardMap().isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Asks the active coordinator to drain {@code nodeId} out of every chain. */
  public void requestRemoveNode(String nodeId) {
    if (!store.readNodes().containsKey(nodeId)
        && store.readChains().values().stream()
            .noneMatch(
                v ->
                    v.value().getMembersList().stream()
                        .anyMatch(m -> m.getNodeId().equals(nodeId)))) {
      throw new IllegalArgumentException("no node '" + nodeId + "' in cluster");
    }
    store.requestRemoveNode(nodeId);
  }

  /** Asks the active coordinator to restore role balance now. */
  public void requestRebalance() {
    store.requestRebalance();
  }

  /**
   * Progress of one joining member, as it published it ({@code SyncStatus}): snapshot keys and
   * bytes installed so far of the totals the stream announced ({@code planned*}, known only if
   * {@code plannedKnown}), what the sender held in all ({@code source*}), whether the stream is a
   * diff resync, whether the snapshot is installed, the lag in seqs and caught up.
   */
  public record SyncProgress(
      int chainId,
      String nodeId,
      long epoch,
      long keys,
      long bytes,
      boolean plannedKnown,
      long plannedKeys,
      long plannedBytes,
      long sourceKeys,
      long sourceBytes,
      boolean diff,
      boolean installed,
      long lagSeqs,
      boolean caughtUp,
      long updatedAtMillis) {

    /** The published report as a record. */
    public static SyncProgress of(SyncStatus s) {
      return new SyncProgress(
          s.getChainId(),
          s.getNodeId(),
          s.getEpoch(),
          s.getKeys(),
          s.getBytes(),
          s.getPlannedKnown(),
          s.getPlannedKeys(),
          s.getPlannedBytes(),
          s.getSourceKeys(),
          s.getSourceBytes(),
          s.getDiff(),
          s.getInstalled(),
          s.getLagSeqs(),
          s.getCaughtUp(),
          s.getUpdatedAtMillis());
    }

    /** Bytes installed of the announced total, in [0, 1]; empty while the total is unknown. */
    public OptionalDouble fraction() {
      return fraction(plannedKnown, bytes, plannedBytes);
    }

    /**
     * done / planned in [0, 1]; empty if the total is not {@code known}. A planned total of zero
     * (nothing differs, or an empty chain) counts as complete; done beyond planned as complete.
     */
    public static OptionalDouble fraction(boolean known, long done, long planned) {
      if (!known) {
        return OptionalDouble.empty();
      }
      if (planned <= 0) {
        return OptionalDouble.of(1.0);
      }
      return OptionalDouble.of(Math.min(1.0, Math.max(0.0, (double) done / planned)));
    }
  }

  /** One chain in the status report. */
  public record ChainStatus(
      int chainId,
      long epoch,
      List<String> members,
      List<String> syncing,
      List<SyncProgress> sync) {}

  /**
   * Per-node liveness and role counts.
   *
   * @param adminAddress {@code host:port} of the node's admin endpoint ({@code /metrics}), or "" if
   *     it has none or is not registered
   */
  public record NodeStatus(
      String nodeId,
      boolean live,
      String address,
      int heads,
      int tails,
      dev.catena.proto.v1.NodeStorageStats storage,
      String adminAddress) {

    /** A node without a known admin endpoint. */
    public NodeStatus(
        String nodeId,
        boolean live,
        String address,
        int heads,
        int tails,
        dev.catena.proto.v1.NodeStorageStats storage) {
      this(nodeId, live, address, heads, tails, storage, "");
    }
  }

  /** The whole report. */
  public record Status(
      String cluster, List<NodeStatus> nodes, List<ChainStatus> chains, long shardMapVersion) {}

  /** Reads the cluster's state. */
  public Status status(String cluster) {
    ClusterSnapshot s = store.readSnapshot();
    var storage = store.readStorageStats();
    var chains = new ArrayList<ChainStatus>();
    var heads = new TreeMap<String, Integer>();
    var tails = new TreeMap<String, Integer>();
    for (Versioned<ChainConfig> v : s.chains().values()) {
      ChainConfig c = v.value();
      var active = new ArrayList<String>();
      var syncing = new ArrayList<String>();
      for (ChainMember m : c.getMembersList()) {
        (m.getState() == MemberState.SYNCING ? syncing : active).add(m.getNodeId());
      }
      if (!active.isEmpty()) {
        heads.merge(active.get(0), 1, Integer::sum);
        tails.merge(active.get(active.size() - 1), 1, Integer::sum);
      }
      var sync =
          s.syncStatuses().stream()
              .filter(st -> st.getChainId() == c.getChainId() && syncing.contains(st.getNodeId()))
              .map(SyncProgress::of)
              .toList();
      chains.add(new ChainStatus(c.getChainId(), c.getEpoch(), active, syncing, sync));
    }
    Map<String, NodeStatus> nodes = new LinkedHashMap<>();
    var all = new TreeMap<String, String>();
    s.nodes().forEach((id, n) -> all.put(id, n.getHost() + ":" + n.getPort()));
    chains.forEach(c -> c.members().forEach(m -> all.putIfAbsent(m, "")));
    all.forEach(
        (id, addr) ->
            nodes.put(
                id,
                new NodeStatus(
                    id,
                    s.nodes().containsKey(id),
                    addr,
                    heads.getOrDefault(id, 0),
                    tails.getOrDefault(id, 0),
                    storage.getOrDefault(
                        id, dev.catena.proto.v1.NodeStorageStats.getDefaultInstance()),
                    adminAddress(s.nodes().get(id)))));
    long mapVersion = s.shardMap().map(v -> v.value().getVersion()).orElse(0L);
    return new Status(cluster, List.copyOf(nodes.values()), chains, mapVersion);
  }

  private static String adminAddress(NodeInfo n) {
    return n == null || n.getAdminPort() <= 0 ? "" : n.getHost() + ":" + n.getAdminPort();
  }

  /**
   * Calls {@code onReport} with every join progress report written to ZooKeeper from now on (and
   * those present when the watch starts), on a Curator thread, until the returned handle is closed.
   * Reports written in quick succession may be seen only as the last of them.
   */
  public AutoCloseable watchSync(Consumer<SyncProgress> onReport) {
    CuratorCache cache = CuratorCache.build(client, new ClusterPaths(cluster).sync());
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges(
                    (before, now) -> {
                      if (now == null) {
                        return;
                      }
                      SyncStatus st;
                      try {
                        st = SyncStatus.parseFrom(now.getData());
                      } catch (InvalidProtocolBufferException e) {
                        return; // not a report
                      }
                      if (!st.getNodeId().isEmpty()) { // parents (sync/, sync/<chain>) are empty
                        onReport.accept(SyncProgress.of(st));
                      }
                    })
                .build());
    cache.start();
    return cache::close;
  }

  @Override
  public void close() {
    client.close();
  }
}
