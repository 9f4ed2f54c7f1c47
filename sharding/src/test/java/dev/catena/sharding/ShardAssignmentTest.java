package dev.catena.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Design §2 "shard map": shards spread evenly over chains and move minimally. */
class ShardAssignmentTest {

  static LongStream seeds() {
    return LongStream.range(0, 500);
  }

  private static List<Integer> randomChainIds(SplittableRandom rnd, int n) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(i * 4 + rnd.nextInt(4));
    }
    Collections.shuffle(ids, new Random(rnd.nextLong()));
    return ids;
  }

  private static TreeMap<Integer, Integer> counts(int[] assignment, List<Integer> chains) {
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    chains.forEach(c -> counts.put(c, 0));
    for (int c : assignment) {
      counts.merge(c, 1, Integer::sum);
    }
    return counts;
  }

  private static int spread(TreeMap<Integer, Integer> counts) {
    return counts.values().stream().mapToInt(i -> i).max().orElse(0)
        - counts.values().stream().mapToInt(i -> i).min().orElse(0);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void spreadIsEvenAndOrderIndependent(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Integer> chains = randomChainIds(rnd, rnd.nextInt(1, 40));
    int shards = rnd.nextInt(0, 3000);
    int[] a = ShardAssignment.spread(shards, chains);
    assertThat(a).as("seed %d", seed).hasSize(shards);
    TreeMap<Integer, Integer> counts = counts(a, chains);
    assertThat(counts.keySet()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(chains);
    assertThat(spread(counts)).as("seed %d", seed).isLessThanOrEqualTo(1);
    List<Integer> reversed = new ArrayList<>(chains);
    Collections.reverse(reversed);
    assertThat(ShardAssignment.spread(shards, reversed)).as("seed %d", seed).isEqualTo(a);
  }

  /**
   * Random current maps (possibly skewed, possibly naming removed chains) and a new chain set: the
   * result is even, and moves exactly the minimum found by trying every choice of which chains get
   * the extra shard.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void rebalanceIsEvenAndMovesTheMinimum(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Integer> before = randomChainIds(rnd, rnd.nextInt(1, 9));
    int shards = rnd.nextInt(0, 200);
    int[] current = new int[shards];
    boolean skewed = rnd.nextBoolean();
    for (int s = 0; s < shards; s++) {
      current[s] =
          skewed
              ? before.get(Math.min(rnd.nextInt(before.size()), rnd.nextInt(before.size())))
              : before.get(s % before.size());
    }
    List<Integer> after = new ArrayList<>();
    for (Integer c : before) {
      if (rnd.nextInt(4) != 0) {
        after.add(c);
      }
    }
    int extraChains = rnd.nextInt(0, 3);
    for (int i = 0; i < extraChains || after.isEmpty(); i++) {
      after.add(100 + i);
    }
    int[] copy = current.clone();
    int[] result = ShardAssignment.rebalance(current, after);
    assertThat(current).as("seed %d: input untouched", seed).isEqualTo(copy);
    TreeMap<Integer, Integer> counts = counts(result, after);
    assertThat(counts.keySet()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(after);
    assertThat(spread(counts)).as("seed %d", seed).isLessThanOrEqualTo(1);
    int moved = 0;
    TreeMap<Integer, Integer> before0 = counts(current, after);
    for (int s = 0; s < shards; s++) {
      if (result[s] != current[s]) {
        moved++;
        // Only from removed or over-full chains, only to chains that end no fuller than before+.
        int from = current[s];
        assertThat(!after.contains(from) || before0.get(from) > counts.get(from))
            .as("seed %d: shard %d left a chain that was not over-full", seed, s)
            .isTrue();
      }
    }
    assertThat(moved).as("seed %d", seed).isEqualTo(bruteForceMinimumMoves(current, after));
    assertThat(ShardAssignment.rebalance(result, after))
        .as("seed %d: stable once balanced", seed)
        .isEqualTo(result);
  }

  private static int bruteForceMinimumMoves(int[] current, List<Integer> chains) {
    int n = chains.size();
    int q = current.length / n;
    int extra = current.length % n;
    TreeMap<Integer, Integer> counts = new TreeMap<>();
    int orphans = 0;
    for (int c : current) {
      if (chains.contains(c)) {
        counts.merge(c, 1, Integer::sum);
      } else {
        orphans++;
      }
    }
    int best = Integer.MAX_VALUE;
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) != extra) {
        continue;
      }
      int moves = orphans;
      for (int i = 0; i < n; i++) {
        int target = q + ((mask >> i) & 1);
        moves += Math.max(0, counts.getOrDefault(chains.get(i), 0) - target);
      }
      best = Math.min(best, moves);
    }
    return best;
  }

  @Test
  void addingAChainMovesAboutItsShare() {
    List<Integer> four = List.of(0, 1, 2, 3);
    int[] a = ShardAssignment.spread(1024, four);
    int[] b = ShardAssignment.rebalance(a, List.of(0, 1, 2, 3, 4));
    int moved = 0;
    for (int s = 0; s < a.length; s++) {
      if (a[s] != b[s]) {
        moved++;
        assertThat(b[s]).isEqualTo(4);
      }
    }
    assertThat(moved).isEqualTo(204); // 1024 / 5 rounded down: chain 4 gets 204 or 205
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> ShardAssignment.spread(-1, List.of(0)))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> ShardAssignment.spread(3, List.of()))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> ShardAssignment.spread(3, List.of(1, 1)))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> ShardAssignment.rebalance(new int[] {0}, List.of()))
        .isInstanceOf(InvalidPlacementException.class);
    assertThat(ShardAssignment.spread(0, List.of())).isEmpty();
  }
}
