package dev.catena.tests.bench.failover;

import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.KeyHasher;

/**
 * Finds object keys that the cluster routes to a given chain: key → {@code KeyHasher.shardOf} →
 * shard map → chain, the same path the client takes. Pure.
 */
public final class ChainKeys {
  private static final int MAX_TRIES = 1_000_000;

  private ChainKeys() {}

  /** The chain that owns {@code bucket/key} under {@code map}. */
  public static int chainOf(ShardMap map, String bucket, String key) {
    return map.getChainIds(KeyHasher.shardOf(bucket, key, map.getShardCount()));
  }

  /**
   * The first key {@code prefix + i} ({@code i = start, start + 1, …}) that lands on {@code
   * chainId}.
   *
   * @throws IllegalArgumentException if the shard map gives the chain no shard
   */
  public static String keyOn(ShardMap map, int chainId, String bucket, String prefix, int start) {
    if (!map.getChainIdsList().contains(chainId)) {
      throw new IllegalArgumentException("chain " + chainId + " owns no shard");
    }
    for (int i = start; i < start + MAX_TRIES; i++) {
      String key = prefix + i;
      if (chainOf(map, bucket, key) == chainId) {
        return key;
      }
    }
    throw new IllegalArgumentException("no key for chain " + chainId + " in " + MAX_TRIES);
  }
}
