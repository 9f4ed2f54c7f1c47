package dev.catena.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Design §2: shard = hash(bucket, key) mod S with a stable, documented hash. */
class KeyHasherTest {

  static LongStream seeds() {
    return LongStream.range(0, 500);
  }

  /**
   * Pinned placement values. They were computed once with this implementation (which matches the
   * XXH64 reference vectors). Changing them means every existing cluster finds its keys on the
   * wrong shards: never update these numbers to make a change pass.
   */
  @Test
  void placementIsPinned() {
    assertThat(KeyHasher.hash64("photos", "2024/cat.jpg")).isEqualTo(0x5C4A7F39AC57E34CL);
    assertThat(KeyHasher.hash64("b", "k")).isEqualTo(0x41CD9702E90C3104L);
    assertThat(KeyHasher.hash64("bücket", "ключ/日本")).isEqualTo(0x1913DD6ABA90CD95L);
    assertThat(KeyHasher.hash64("logs", "app/2026-11-23.log.gz")).isEqualTo(0xC3439EFD4BDE96F0L);
    assertThat(KeyHasher.shardOf("photos", "2024/cat.jpg", 1024)).isEqualTo(844);
    assertThat(KeyHasher.shardOf("bücket", "ключ/日本", 1024)).isEqualTo(405);
    assertThat(KeyHasher.shardOf("logs", "app/2026-11-23.log.gz", 1024)).isEqualTo(752);
    List<Integer> chains = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(KeyHasher.chainForChunk("v1", 0, chains)).isEqualTo(1);
    assertThat(KeyHasher.chainForChunk("v1", 1, chains)).isEqualTo(7);
    assertThat(KeyHasher.chainForChunk("v1", 2, chains)).isEqualTo(8);
  }

  @Test
  void keyHashIsXxh64OfBucketNulKey() {
    // ("", "") is the single byte 0x00: the reference sanity vector for length 1, seed 0.
    assertThat(KeyHasher.hash64("", "")).isEqualTo(0xE934A84ADB052768L);
    byte[] manual = "photos\u00002024/cat.jpg".getBytes(StandardCharsets.UTF_8);
    assertThat(KeyHasher.hash64("photos", "2024/cat.jpg"))
        .isEqualTo(KeyHasher.hash64(manual))
        .isEqualTo(XxHash64.hash(manual, 0));
    assertThat(KeyHasher.hash64(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
  }

  @Test
  void separatorKeepsBucketAndKeyApart() {
    assertThat(KeyHasher.hash64("ab", "c")).isNotEqualTo(KeyHasher.hash64("a", "bc"));
  }

  /** Chi-square of 100k sequential and 100k random keys over 1024 shards. */
  @Test
  void keysSpreadEvenlyOverShards() {
    int shards = 1024;
    int keys = 100_000;
    long[] sequential = new long[shards];
    long[] random = new long[shards];
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < keys; i++) {
      sequential[KeyHasher.shardOf("bucket", "key-" + i, shards)]++;
      random[KeyHasher.shardOf("b" + rnd.nextInt(10), Long.toHexString(rnd.nextLong()), shards)]++;
    }
    // 1023 degrees of freedom: mean 1023, standard deviation about 45. Accept mean +- 5 sd.
    assertThat(chiSquare(sequential, keys)).isBetween(800.0, 1250.0);
    assertThat(chiSquare(random, keys)).isBetween(800.0, 1250.0);
  }

  private static double chiSquare(long[] counts, int total) {
    double expected = (double) total / counts.length;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void shardIsInRangeAndStable(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int shardCount = rnd.nextInt(1, 5000);
    String key = Long.toString(rnd.nextLong(), 36);
    int shard = KeyHasher.shardOf("bkt", key, shardCount);
    assertThat(shard).as("seed %d", seed).isBetween(0, shardCount - 1);
    assertThat(KeyHasher.shardOf("bkt", key, shardCount)).as("seed %d", seed).isEqualTo(shard);
  }

  /** Rendezvous hashing: independent of list order; removing a chain moves only its chunks. */
  @ParameterizedTest
  @MethodSource("seeds")
  void chunkPlacementIsOrderFreeAndMovesOnlyWhatItMust(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Integer> chains = new ArrayList<>();
    int n = rnd.nextInt(2, 30);
    for (int i = 0; i < n; i++) {
      chains.add(i * 3 + rnd.nextInt(3));
    }
    List<Integer> shuffled = new ArrayList<>(chains);
    Collections.shuffle(shuffled, new Random(seed));
    Integer gone = chains.get(rnd.nextInt(n));
    List<Integer> fewer = new ArrayList<>(chains);
    fewer.remove(gone);
    String version = "v" + rnd.nextLong();
    for (int chunk = 0; chunk < 50; chunk++) {
      int before = KeyHasher.chainForChunk(version, chunk, chains);
      assertThat(chains).contains(before);
      assertThat(KeyHasher.chainForChunk(version, chunk, shuffled))
          .as("seed %d chunk %d", seed, chunk)
          .isEqualTo(before);
      int after = KeyHasher.chainForChunk(version, chunk, fewer);
      if (before != gone) {
        assertThat(after).as("seed %d chunk %d moved needlessly", seed, chunk).isEqualTo(before);
      }
    }
  }

  @Test
  void chunksSpreadEvenlyOverChains() {
    List<Integer> chains = List.of(0, 1, 2, 3, 4, 5, 6, 7);
    long[] counts = new long[chains.size()];
    int total = 80_000;
    for (int i = 0; i < total; i++) {
      counts[KeyHasher.chainForChunk("version-" + (i / 100), i % 100, chains)]++;
    }
    // 7 degrees of freedom: the 99.99th percentile is about 29.9.
    assertThat(chiSquare(counts, total)).isLessThan(30.0);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> KeyHasher.shardOf("b", "k", 0))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> KeyHasher.chainForChunk("v", 0, List.of()))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> KeyHasher.chainForChunk("v", 0, List.of(1, 1)))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> KeyHasher.chainForChunk("v", -1, List.of(1)))
        .isInstanceOf(InvalidPlacementException.class);
  }
}
