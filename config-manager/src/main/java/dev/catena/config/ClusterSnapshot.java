package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable view of the cluster state as read from the store: settings, live nodes, chain
 * configurations and shard map, the last two with their store versions so that a decision based on
 * this snapshot can be written with compare-and-set. The pieces are read one after the other, so
 * the snapshot is not an atomic cut; compare-and-set on the write side catches any change that
 * happened in between.
 *
 * @param settings cluster-wide settings fixed at creation
 * @param nodes live (registered) nodes by node id, sorted by id
 * @param chains chain configurations by chain id, sorted by id
 * @param shardMap the shard map, empty before the cluster is bootstrapped
 * @param syncStatuses progress reports of joining members ({@code sync/<chainId>/<nodeId>}), sorted
 *     by chain id and node id; may include stale reports of members that were promoted or removed
 * @param requests pending operator requests
 */
public record ClusterSnapshot(
    ClusterSettings settings,
    Map<String, NodeInfo> nodes,
    Map<Integer, Versioned<ChainConfig>> chains,
    Optional<Versioned<ShardMap>> shardMap,
    List<SyncStatus> syncStatuses,
    PendingRequests requests) {
  public ClusterSnapshot {
    Objects.requireNonNull(settings, "settings");
    nodes = java.util.Collections.unmodifiableMap(new TreeMap<>(nodes));
    chains = java.util.Collections.unmodifiableMap(new TreeMap<>(chains));
    Objects.requireNonNull(shardMap, "shardMap");
    syncStatuses =
        syncStatuses.stream()
            .sorted(
                Comparator.comparingInt(SyncStatus::getChainId)
                    .thenComparing(SyncStatus::getNodeId))
            .toList();
    Objects.requireNonNull(requests, "requests");
  }

  /** A snapshot without sync reports and requests. */
  public ClusterSnapshot(
      ClusterSettings settings,
      Map<String, NodeInfo> nodes,
      Map<Integer, Versioned<ChainConfig>> chains,
      Optional<Versioned<ShardMap>> shardMap) {
    this(settings, nodes, chains, shardMap, List.of(), PendingRequests.NONE);
  }

  /** The progress report of {@code nodeId} joining chain {@code chainId}, if there is one. */
  public Optional<SyncStatus> syncStatus(int chainId, String nodeId) {
    return syncStatuses.stream()
        .filter(s -> s.getChainId() == chainId && s.getNodeId().equals(nodeId))
        .findFirst();
  }

  /** True once a shard map has been published (the cluster has been bootstrapped). */
  public boolean isBootstrapped() {
    return shardMap.isPresent();
  }
}
