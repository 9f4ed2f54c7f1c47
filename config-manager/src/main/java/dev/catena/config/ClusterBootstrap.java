package dev.catena.config;

import dev.catena.proto.ClusterPaths;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.ChainSpec;
import dev.catena.sharding.RotatedChainTable;
import dev.catena.sharding.ShardAssignment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes the first configuration of a cluster (DESIGN §3): a rotated chain table over the
 * registered nodes (with N nodes and chain length R, N chains, chain i = n_i … n_{i+R-1} mod N, so
 * each node is head of one chain and tail of one), every member {@code ACTIVE} at epoch 1, and a
 * shard map at version 1 that spreads the shards evenly over the chains. Pure: same input, same
 * output; nodes are ordered by id first so the result does not depend on registration order.
 */
public final class ClusterBootstrap {
  /** Epoch of every chain in the initial configuration. */
  public static final long INITIAL_EPOCH = 1;

  /** Version of the initial shard map. */
  public static final long INITIAL_SHARD_MAP_VERSION = 1;

  private ClusterBootstrap() {}

  /**
   * @param settings the cluster settings (shard count and chain length are used)
   * @param nodeIds the registered node ids, in any order, without duplicates
   * @throws InvalidConfigException if the shard count or chain length is below one, there are fewer
   *     nodes than the chain length, or a node id is duplicated or not valid
   */
  public static BootstrapPlan plan(ClusterSettings settings, List<String> nodeIds) {
    return plan(settings, nodeIds, n -> "");
  }

  /**
   * As {@link #plan(ClusterSettings, List)}, each membership granted to the incarnation {@code
   * incarnationOf} gives for its node (see {@code ChainMember.incarnation}).
   *
   * @throws InvalidConfigException as {@link #plan(ClusterSettings, List)}
   */
  public static BootstrapPlan plan(
      ClusterSettings settings, List<String> nodeIds, Function<String, String> incarnationOf) {
    validate(settings, nodeIds);
    List<String> sorted = new ArrayList<>(nodeIds);
    sorted.sort(null);
    List<ChainSpec> specs = RotatedChainTable.build(sorted, settings.getChainLength());
    List<ChainConfig> chains = new ArrayList<>(specs.size());
    List<Integer> chainIds = new ArrayList<>(specs.size());
    for (ChainSpec spec : specs) {
      ChainConfig.Builder chain =
          ChainConfig.newBuilder().setChainId(spec.chainId()).setEpoch(INITIAL_EPOCH);
      for (String member : spec.members()) {
        chain.addMembers(
            ChainMember.newBuilder()
                .setNodeId(member)
                .setState(MemberState.ACTIVE)
                .setIncarnation(incarnationOf.apply(member))
                .build());
      }
      chains.add(chain.build());
      chainIds.add(spec.chainId());
    }
    chains.sort((a, b) -> Integer.compare(a.getChainId(), b.getChainId()));
    int[] owners = ShardAssignment.spread(settings.getShardCount(), chainIds);
    ShardMap.Builder map =
        ShardMap.newBuilder()
            .setVersion(INITIAL_SHARD_MAP_VERSION)
            .setShardCount(settings.getShardCount());
    for (int owner : owners) {
      map.addChainIds(owner);
    }
    return new BootstrapPlan(chains, map.build());
  }

  /**
   * Checks the settings a cluster is created with.
   *
   * @throws InvalidConfigException if the shard count or chain length is below one, or a size is
   *     negative
   */
  public static void validateSettings(ClusterSettings settings) {
    if (settings.getShardCount() < 1) {
      throw new InvalidConfigException("shard count must be >= 1: " + settings.getShardCount());
    }
    if (settings.getChainLength() < 1) {
      throw new InvalidConfigException("chain length must be >= 1: " + settings.getChainLength());
    }
    if (settings.getChunkSizeBytes() < 0 || settings.getInlineThresholdBytes() < 0) {
      throw new InvalidConfigException("negative size in settings: " + settings);
    }
  }

  private static void validate(ClusterSettings settings, List<String> nodeIds) {
    validateSettings(settings);
    Set<String> seen = new HashSet<>();
    for (String id : nodeIds) {
      if (!ClusterPaths.isValidName(id)) {
        throw new InvalidConfigException("invalid node id: '" + id + "'");
      }
      if (!seen.add(id)) {
        throw new InvalidConfigException("duplicate node id: " + id);
      }
    }
    if (nodeIds.size() < settings.getChainLength()) {
      throw new InvalidConfigException(
          "need at least "
              + settings.getChainLength()
              + " nodes for chains of that length, have "
              + nodeIds.size());
    }
  }
}
