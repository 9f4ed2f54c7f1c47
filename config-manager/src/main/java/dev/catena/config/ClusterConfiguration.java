package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configuration a storage node acts on, as delivered by the node agent: the live nodes, the
 * chains this node is a member of, and the shard map. Immutable.
 *
 * @param nodes live nodes by node id
 * @param chains the chains that list this node as a member, by chain id
 * @param shardMap the shard map, empty before the cluster is bootstrapped
 * @param version counts deliveries: strictly increases with every configuration handed to the
 *     listener by one agent (local to that agent, not stored anywhere)
 */
public record ClusterConfiguration(
    Map<String, NodeInfo> nodes,
    Map<Integer, ChainConfig> chains,
    Optional<ShardMap> shardMap,
    long version) {
  public ClusterConfiguration {
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    chains = Collections.unmodifiableMap(new TreeMap<>(chains));
    Objects.requireNonNull(shardMap, "shardMap");
  }

  /** True if nodes, chains and shard map equal those of {@code other} (the version is ignored). */
  public boolean sameContent(ClusterConfiguration other) {
    return nodes.equals(other.nodes)
        && chains.equals(other.chains)
        && shardMap.equals(other.shardMap);
  }
}
