package dev.catena.sharding;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The placement hash of Catena: a documented, stable 64-bit hash and the functions built on it.
 *
 * <p><b>Algorithm (part of the on-disk and in-ZooKeeper format).</b> {@link #hash64(byte[])} is
 * XXH64 with seed 0 ({@link XxHash64}). {@link #hash64(String, String)} is XXH64 (seed 0) over the
 * UTF-8 bytes of {@code bucket}, one {@code 0x00} byte, then the UTF-8 bytes of {@code key}. The
 * separator keeps {@code ("ab", "c")} and {@code ("a", "bc")} apart; bucket names cannot contain
 * NUL. Changing any of this moves keys to other shards in every existing cluster, so the test suite
 * pins a few values. {@code String.hashCode} is never used for placement.
 *
 * <p>All methods are pure, deterministic and thread-safe.
 */
public final class KeyHasher {
  private KeyHasher() {}

  /** XXH64 (seed 0) of UTF-8(bucket) ‖ 0x00 ‖ UTF-8(key). */
  public static long hash64(String bucket, String key) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    byte[] b = bucket.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[b.length + 1 + k.length];
    System.arraycopy(b, 0, all, 0, b.length);
    all[b.length] = 0;
    System.arraycopy(k, 0, all, b.length + 1, k.length);
    return XxHash64.hash(all, 0);
  }

  /** XXH64 (seed 0) of {@code data}. */
  public static long hash64(byte[] data) {
    Objects.requireNonNull(data, "data");
    return XxHash64.hash(data, 0);
  }

  /**
   * The shard of an object: {@code Math.floorMod(hash64(bucket, key), shardCount)}, so always in
   * {@code [0, shardCount)}.
   *
   * @throws InvalidPlacementException if {@code shardCount < 1}
   */
  public static int shardOf(String bucket, String key, int shardCount) {
    if (shardCount < 1) {
      throw new InvalidPlacementException("shardCount must be >= 1, got " + shardCount);
    }
    return Math.floorMod(hash64(bucket, key), shardCount);
  }

  /**
   * The chain that stores chunk {@code chunkIndex} of the large object version {@code versionId}.
   *
   * <p>Rendezvous (highest-random-weight) hashing: for every chain id {@code c} the score is XXH64
   * (seed 0) of UTF-8(versionId) ‖ 0x00 ‖ int32-big-endian(chunkIndex) ‖ int32-big-endian(c),
   * compared as an unsigned number; the chain with the highest score wins (equal scores: the
   * smaller chain id). The result does not depend on the order of {@code chainIds}, chunks spread
   * evenly, and when a chain is added or removed only the chunks that must move do: about 1/n of
   * them to a new chain, and exactly the chunks of a removed chain. The cost is one hash per chain
   * per chunk, small next to a chunk's size.
   *
   * @throws InvalidPlacementException if {@code chainIds} is empty or has duplicates, or {@code
   *     chunkIndex < 0}
   */
  public static int chainForChunk(String versionId, int chunkIndex, List<Integer> chainIds) {
    Objects.requireNonNull(versionId, "versionId");
    Objects.requireNonNull(chainIds, "chainIds");
    if (chunkIndex < 0) {
      throw new InvalidPlacementException("chunkIndex must be >= 0, got " + chunkIndex);
    }
    if (chainIds.isEmpty()) {
      throw new InvalidPlacementException("chainIds must not be empty");
    }
    byte[] v = versionId.getBytes(StandardCharsets.UTF_8);
    byte[] buf = new byte[v.length + 1 + 4 + 4];
    System.arraycopy(v, 0, buf, 0, v.length);
    int p = v.length;
    buf[p++] = 0;
    p = putInt(buf, p, chunkIndex);
    Set<Integer> seen = new HashSet<>();
    int best = 0;
    long bestScore = 0;
    boolean first = true;
    for (Integer id : chainIds) {
      Objects.requireNonNull(id, "chain id");
      if (!seen.add(id)) {
        throw new InvalidPlacementException("duplicate chain id " + id);
      }
      putInt(buf, p, id);
      long score = XxHash64.hash(buf, 0);
      int cmp = first ? 1 : Long.compareUnsigned(score, bestScore);
      if (cmp > 0 || (cmp == 0 && id < best)) {
        best = id;
        bestScore = score;
        first = false;
      }
    }
    return best;
  }

  private static int putInt(byte[] buf, int p, int value) {
    buf[p] = (byte) (value >>> 24);
    buf[p + 1] = (byte) (value >>> 16);
    buf[p + 2] = (byte) (value >>> 8);
    buf[p + 3] = (byte) value;
    return p + 4;
  }
}
