package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.KeyHasher;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChainKeysTest {
  private static ShardMap randomMap(long seed, int shards, int chains) {
    var rnd = new SplittableRandom(seed);
    var b = ShardMap.newBuilder().setVersion(1).setShardCount(shards);
    for (int s = 0; s < shards; s++) {
      b.addChainIds(s < chains ? s : rnd.nextInt(chains));
    }
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void keyLandsOnTheRequestedChainThroughTheShardMap(long seed) {
    ShardMap map = randomMap(seed, 64, 5);
    for (int chain = 0; chain < 5; chain++) {
      String key = ChainKeys.keyOn(map, chain, "b", "k-", 0);
      int shard = KeyHasher.shardOf("b", key, 64);
      assertThat(map.getChainIds(shard)).as("seed %d chain %d", seed, chain).isEqualTo(chain);
      assertThat(ChainKeys.chainOf(map, "b", key)).as("seed %d", seed).isEqualTo(chain);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12})
  void chainWithoutShardsIsRejected(long seed) {
    ShardMap map = randomMap(seed, 16, 3);
    assertThatThrownBy(() -> ChainKeys.keyOn(map, 9, "b", "k-", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chain 9");
  }
}
