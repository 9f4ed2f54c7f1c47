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
 * The configuration a storage node acts on, as delivered by the node agent: the incarnation of the
 * node's registration it was read under, the live nodes, every chain, and the shard map. Immutable.
 *
 * <p>Every chain is delivered, not only those that list the node: a node removed from a chain must
 * learn the epoch that removed it, or it would go on serving in its old role. The node is a member
 * of a chain only where a {@link dev.catena.proto.v1.ChainMember} names it <em>with this
 * incarnation</em>; a listing under another incarnation belongs to an earlier life of the node.
 *
 * @param incarnation the incarnation of the node's registration when this was read ("" if the node
 *     was not registered at that moment: then it is a member of nothing)
 * @param nodes live nodes by node id
 * @param chains every chain configuration, by chain id
 * @param shardMap the shard map, empty before the cluster is bootstrapped
 * @param version counts deliveries: strictly increases with every configuration handed to the
 *     listener by one agent (local to that agent, not stored anywhere)
 */
public record ClusterConfiguration(
    String incarnation,
    Map<String, NodeInfo> nodes,
    Map<Integer, ChainConfig> chains,
    Optional<ShardMap> shardMap,
    long version) {
  public ClusterConfiguration {
    Objects.requireNonNull(incarnation, "incarnation");
    nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    chains = Collections.unmodifiableMap(new TreeMap<>(chains));
    Objects.requireNonNull(shardMap, "shardMap");
  }

  /**
   * True if incarnation, nodes, chains and shard map equal those of {@code other} (the version is
   * ignored).
   */
  public boolean sameContent(ClusterConfiguration other) {
    return incarnation.equals(other.incarnation)
        && nodes.equals(other.nodes)
        && chains.equals(other.chains)
        && shardMap.equals(other.shardMap);
  }
}
