package dev.catena.sharding;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The shard map: which chain serves each shard (design §2, "shard map").
 *
 * <p>An assignment is an {@code int[]} whose entry {@code s} is the chain id of shard {@code s}.
 * Both functions depend only on the <em>set</em> of chain ids (they sort it), never on its order,
 * and are deterministic.
 */
public final class ShardAssignment {
  private ShardAssignment() {}

  /**
   * A fresh, even assignment: shard {@code s} goes to the {@code (s mod n)}-th smallest chain id,
   * so per-chain counts differ by at most one and neighbouring shards sit on different chains.
   *
   * @throws InvalidPlacementException if {@code shardCount < 0}, or {@code chainIds} is empty (with
   *     shards to place) or has duplicates
   */
  public static int[] spread(int shardCount, List<Integer> chainIds) {
    if (shardCount < 0) {
      throw new InvalidPlacementException("shardCount must be >= 0, got " + shardCount);
    }
    int[] chains = sortedDistinct(chainIds, shardCount > 0);
    int[] result = new int[shardCount];
    for (int s = 0; s < shardCount; s++) {
      result[s] = chains[s % chains.length];
    }
    return result;
  }

  /**
   * Moves as few shards as possible so that every shard is on a chain of {@code chainIds} and the
   * per-chain counts differ by at most one.
   *
   * <p>With {@code S} shards and {@code n} chains every chain ends with {@code q = S / n} or {@code
   * q + 1} shards, exactly {@code S mod n} of them with {@code q + 1}. The {@code q + 1} quota goes
   * to the chains that hold the most shards now (ties: smaller chain id), which minimises moves. A
   * shard moves only if its chain is not in {@code chainIds} (a removed chain) or its chain holds
   * more than its quota (the highest-numbered shards of that chain move); moved shards fill
   * under-full chains in ascending chain-id order. No shard moves between two chains that are
   * within quota. The input array is not modified.
   *
   * <p>Used by the coordinator when chains are added ({@link ChainChange.AddChain}) or removed
   * ({@link ChainChange.RemoveChain}).
   *
   * @throws InvalidPlacementException if {@code chainIds} is empty (with shards to place) or has
   *     duplicates
   */
  public static int[] rebalance(int[] current, List<Integer> chainIds) {
    Objects.requireNonNull(current, "current");
    int[] chains = sortedDistinct(chainIds, current.length > 0);
    int shardCount = current.length;
    int[] result = current.clone();
    if (shardCount == 0) {
      return result;
    }
    int n = chains.length;
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(chains[i], i);
    }
    int[] count = new int[n];
    for (int chain : current) {
      Integer i = index.get(chain);
      if (i != null) {
        count[i]++;
      }
    }
    int q = shardCount / n;
    int extra = shardCount % n;
    Integer[] byLoad = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLoad[i] = i;
    }
    Arrays.sort(byLoad, (a, b) -> count[a] != count[b] ? count[b] - count[a] : a - b);
    int[] quota = new int[n];
    for (int k = 0; k < n; k++) {
      quota[byLoad[k]] = k < extra ? q + 1 : q;
    }
    // Collect the shards that must move: orphans, and the highest-numbered shards of over-full
    // chains.
    int[] keep = quota.clone();
    List<Integer> moving = new ArrayList<>();
    int[] seenPerChain = new int[n];
    for (int s = 0; s < shardCount; s++) {
      Integer i = index.get(current[s]);
      if (i == null) {
        moving.add(s);
      } else if (seenPerChain[i] < keep[i]) {
        seenPerChain[i]++;
      } else {
        moving.add(s);
      }
    }
    Deque<Integer> targets = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      for (int k = seenPerChain[i]; k < quota[i]; k++) {
        targets.add(chains[i]);
      }
    }
    if (targets.size() != moving.size()) {
      throw new IllegalStateException("shard accounting mismatch"); // cannot happen
    }
    for (int s : moving) {
      result[s] = targets.poll();
    }
    return result;
  }

  private static int[] sortedDistinct(List<Integer> chainIds, boolean requireNonEmpty) {
    Objects.requireNonNull(chainIds, "chainIds");
    TreeSet<Integer> set = new TreeSet<>();
    for (Integer id : chainIds) {
      Objects.requireNonNull(id, "chain id");
      if (!set.add(id)) {
        throw new InvalidPlacementException("duplicate chain id " + id);
      }
    }
    if (requireNonEmpty && set.isEmpty()) {
      throw new InvalidPlacementException("chainIds must not be empty");
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }
}
