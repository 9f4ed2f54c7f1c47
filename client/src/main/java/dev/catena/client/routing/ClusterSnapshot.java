package dev.catena.client.routing;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.KeyHasher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable picture of the cluster configuration (DESIGN §3) as one reader saw it: shard map,
 * chain configurations resolved to head and tail nodes, registered nodes and settings. Pure; all
 * routing decisions of the client are functions of one snapshot.
 *
 * <p>{@link #version()} is local to the reader and grows with every rebuild, so a caller can wait
 * for "anything newer than what I used".
 */
public final class ClusterSnapshot {
  /** A snapshot of a cluster about which nothing is known yet. */
  public static final ClusterSnapshot EMPTY =
      of(
          0,
          ShardMap.getDefaultInstance(),
          List.of(),
          Map.of(),
          ClusterSettings.getDefaultInstance());

  private final long version;
  private final ShardMap shardMap;
  private final Map<Integer, ChainRoute> routes;
  private final Map<String, NodeInfo> nodes;
  private final ClusterSettings settings;
  private final List<Integer> chainIds;
  private final List<Integer> shardChainIds;

  private ClusterSnapshot(
      long version,
      ShardMap shardMap,
      Map<Integer, ChainRoute> routes,
      Map<String, NodeInfo> nodes,
      ClusterSettings settings) {
    this.version = version;
    this.shardMap = shardMap;
    this.routes = routes;
    this.nodes = nodes;
    this.settings = settings;
    this.chainIds = List.copyOf(routes.keySet());
    this.shardChainIds = List.copyOf(new TreeSet<>(shardMap.getChainIdsList()));
  }

  /** Builds a snapshot; a shard map whose size differs from its shard count is treated as empty. */
  public static ClusterSnapshot of(
      long version,
      ShardMap shardMap,
      Collection<ChainConfig> chains,
      Map<String, NodeInfo> nodes,
      ClusterSettings settings) {
    ShardMap sm =
        shardMap.getChainIdsCount() == shardMap.getShardCount()
            ? shardMap
            : ShardMap.getDefaultInstance();
    var routes = new TreeMap<Integer, ChainRoute>();
    for (ChainConfig c : chains) {
      List<ChainMember> active = new ArrayList<>();
      for (ChainMember m : c.getMembersList()) {
        if (m.getState() == MemberState.ACTIVE) {
          active.add(m);
        }
      }
      Optional<NodeInfo> head =
          active.isEmpty()
              ? Optional.empty()
              : Optional.ofNullable(nodes.get(active.get(0).getNodeId()));
      Optional<NodeInfo> tail =
          active.isEmpty()
              ? Optional.empty()
              : Optional.ofNullable(nodes.get(active.get(active.size() - 1).getNodeId()));
      routes.put(c.getChainId(), new ChainRoute(c.getChainId(), c.getEpoch(), head, tail));
    }
    return new ClusterSnapshot(
        version, sm, Map.copyOf(routes), Map.copyOf(new TreeMap<>(nodes)), settings);
  }

  public long version() {
    return version;
  }

  public int shardCount() {
    return shardMap.getShardCount();
  }

  public long shardMapVersion() {
    return shardMap.getVersion();
  }

  public ClusterSettings settings() {
    return settings;
  }

  public Map<String, NodeInfo> nodes() {
    return nodes;
  }

  /**
   * The chain owning {@code bucket/key}: {@code shardMap[KeyHasher.shardOf(bucket, key, S)]}, or
   * empty while no shard map is known.
   */
  public Optional<Integer> chainOf(String bucket, String key) {
    if (shardMap.getShardCount() < 1) {
      return Optional.empty();
    }
    return Optional.of(
        shardMap.getChainIds(KeyHasher.shardOf(bucket, key, shardMap.getShardCount())));
  }

  /** The route of a chain, if its configuration is known. */
  public Optional<ChainRoute> route(int chainId) {
    return Optional.ofNullable(routes.get(chainId));
  }

  /** Every configured chain id, ascending: the candidates of chunk placement. */
  public List<Integer> chainIds() {
    return chainIds;
  }

  /** Every chain the shard map names, ascending: the chains a listing must visit. */
  public List<Integer> shardChainIds() {
    return shardChainIds;
  }

  @Override
  public String toString() {
    return "ClusterSnapshot{version="
        + version
        + ", shards="
        + shardMap.getShardCount()
        + ", chains="
        + routes.values()
        + ", nodes="
        + nodes.keySet()
        + "}";
  }
}
