package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ShardMap;
import java.util.List;
import java.util.Objects;

/**
 * The initial configuration of a cluster: its chains and the shard map over them.
 *
 * @param chains chain configurations ordered by chain id
 * @param shardMap the shard map; every chain id it names is in {@code chains}
 */
public record BootstrapPlan(List<ChainConfig> chains, ShardMap shardMap) {
  public BootstrapPlan {
    chains = List.copyOf(chains);
    Objects.requireNonNull(shardMap, "shardMap");
  }
}
