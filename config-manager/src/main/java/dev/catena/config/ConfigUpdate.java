package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ShardMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A set of chain configurations and optionally a shard map that must become visible together: the
 * store applies all of them in one atomic transaction or none.
 *
 * @param chains compare-and-set writes of chain configurations, at most one per chain id
 * @param shardMap an optional compare-and-set write of the shard map
 */
public record ConfigUpdate(
    List<CasWrite<ChainConfig>> chains, Optional<CasWrite<ShardMap>> shardMap) {
  public ConfigUpdate {
    chains = List.copyOf(chains);
    shardMap = shardMap == null ? Optional.empty() : shardMap;
    Set<Integer> ids = new HashSet<>();
    for (CasWrite<ChainConfig> w : chains) {
      if (!ids.add(w.value().getChainId())) {
        throw new InvalidConfigException("chain " + w.value().getChainId() + " written twice");
      }
    }
    if (chains.isEmpty() && shardMap.isEmpty()) {
      throw new InvalidConfigException("empty configuration update");
    }
  }
}
