package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ShardMap;
import java.util.List;
import java.util.Optional;

/**
 * The decision of a {@link ReconfigurationPolicy}: chain configurations to write and optionally a
 * new shard map, published together in one atomic update. Empty means "nothing to do".
 *
 * @param chains new or changed chain configurations (each with a higher epoch than the stored one)
 * @param shardMap a new shard map, if it changes
 */
public record Reconfiguration(List<ChainConfig> chains, Optional<ShardMap> shardMap) {
  private static final Reconfiguration NONE = new Reconfiguration(List.of(), Optional.empty());

  public Reconfiguration {
    chains = List.copyOf(chains);
    shardMap = shardMap == null ? Optional.empty() : shardMap;
  }

  public static Reconfiguration none() {
    return NONE;
  }

  public boolean isEmpty() {
    return chains.isEmpty() && shardMap.isEmpty();
  }

  /**
   * Turns this decision into compare-and-set writes based on {@code basis}: a chain or shard map
   * present in the basis is replaced if its version is still current, one absent is created.
   */
  public ConfigUpdate toUpdate(ClusterSnapshot basis) {
    List<CasWrite<ChainConfig>> writes =
        chains.stream()
            .map(
                c -> {
                  Versioned<ChainConfig> old = basis.chains().get(c.getChainId());
                  return old == null ? CasWrite.create(c) : CasWrite.replace(old, c);
                })
            .toList();
    Optional<CasWrite<ShardMap>> map =
        shardMap.map(
            m ->
                basis
                    .shardMap()
                    .map(old -> CasWrite.replace(old, m))
                    .orElseGet(() -> CasWrite.create(m)));
    return new ConfigUpdate(writes, map);
  }
}
