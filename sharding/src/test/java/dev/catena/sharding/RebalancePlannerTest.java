package dev.catena.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.sharding.ChainChange.AddChain;
import dev.catena.sharding.ChainChange.AddMember;
import dev.catena.sharding.ChainChange.RemoveChain;
import dev.catena.sharding.ChainChange.RemoveMember;
import dev.catena.sharding.ChainChange.Reorder;
import dev.catena.sharding.ChainChange.ReplaceMember;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Design §3 "role balance" and §4a "role skew": after failures, returns, joins and departures the
 * planner restores L chains of min(R, L) live members with one head and one tail per node.
 */
class RebalancePlannerTest {

  static LongStream seeds() {
    return LongStream.range(0, 500);
  }

  private static String node(int i) {
    return String.format("n%03d", i);
  }

  private static List<String> nodes(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(node(i));
    }
    return out;
  }

  /** Checks the planner's post-conditions; {@code context} names the seed. */
  static void assertBalanced(List<ChainSpec> table, Set<String> live, int chainLength, String ctx) {
    int r = Math.min(chainLength, live.size());
    assertThat(table).as("%s: chain count", ctx).hasSize(live.size());
    for (ChainSpec c : table) {
      assertThat(c.members()).as("%s: chain %s", ctx, c).hasSize(r).allMatch(live::contains);
    }
    RoleBalance balance = RoleBalance.of(table, live);
    assertThat(balance.heads().keySet()).as("%s: only live nodes", ctx).isEqualTo(live);
    assertThat(balance.isBalanced()).as("%s: balanced %s", ctx, balance).isTrue();
    assertThat(balance.heads().values()).as("%s: heads", ctx).allMatch(h -> h == 1);
    assertThat(balance.tails().values()).as("%s: tails", ctx).allMatch(t -> t == 1);
    assertThat(balance.memberships().values()).as("%s: memberships", ctx).allMatch(m -> m == r);
  }

  /** Plans, checks determinism and idempotence, applies, checks balance; returns the new table. */
  static List<ChainSpec> planAndCheck(
      List<ChainSpec> table, Set<String> live, int chainLength, long seed, String ctx) {
    List<ChainChange> plan = RebalancePlanner.plan(table, live, chainLength);
    // Determinism: same input in another order (table shuffled, live set in another Set type).
    List<ChainSpec> shuffled = new ArrayList<>(table);
    Collections.shuffle(shuffled, new Random(seed));
    Set<String> otherSet = new LinkedHashSet<>(live);
    List<String> liveList = new ArrayList<>(live);
    Collections.reverse(liveList);
    otherSet.clear();
    otherSet.addAll(liveList);
    assertThat(RebalancePlanner.plan(shuffled, otherSet, chainLength))
        .as("%s: deterministic", ctx)
        .isEqualTo(plan);
    List<ChainSpec> next = RebalancePlanner.apply(table, plan);
    assertBalanced(next, live, chainLength, ctx + " plan=" + plan);
    assertThat(RebalancePlanner.plan(next, live, chainLength))
        .as("%s: second plan is empty", ctx)
        .isEmpty();
    return next;
  }

  /**
   * Random histories of joins, leaves, failures that shorten chains without replacement, returns of
   * failed nodes, role skew and partially applied plans.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void randomHistoriesEndBalanced(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int chainLength = rnd.nextInt(1, 5);
    int initial = rnd.nextInt(1, 13);
    List<String> all = nodes(0, initial);
    Set<String> live = new TreeSet<>(all);
    List<ChainSpec> table = RotatedChainTable.build(all, Math.min(chainLength, initial));
    Set<String> failed = new TreeSet<>();
    int nextNode = initial;
    int steps = rnd.nextInt(1, 12);
    for (int step = 0; step < steps; step++) {
      String ctx = "seed " + seed + " step " + step;
      switch (rnd.nextInt(7)) {
        case 0 -> live.add(node(nextNode++)); // a new node joins
        case 1 -> { // a node fails: chains drop it without replacement when they can
          if (!live.isEmpty()) {
            String victim = pick(live, rnd);
            live.remove(victim);
            failed.add(victim);
            table = dropFromChains(table, victim);
          }
        }
        case 2 -> { // a node fails but the table still lists it
          if (!live.isEmpty()) {
            String victim = pick(live, rnd);
            live.remove(victim);
            failed.add(victim);
          }
        }
        case 3 -> { // a failed node returns (empty-handed: it is in no chain any more)
          if (!failed.isEmpty()) {
            String back = pick(failed, rnd);
            failed.remove(back);
            live.add(back);
          }
        }
        case 4 -> table = skewRoles(table, rnd);
        case 5 -> { // the coordinator applied only a prefix of a plan before the next event
          List<ChainChange> plan = RebalancePlanner.plan(table, live, chainLength);
          table = RebalancePlanner.apply(table, plan.subList(0, rnd.nextInt(plan.size() + 1)));
        }
        default -> table = planAndCheck(table, live, chainLength, seed, ctx);
      }
    }
    planAndCheck(table, live, chainLength, seed, "seed " + seed + " final");
  }

  private static String pick(Set<String> set, SplittableRandom rnd) {
    List<String> list = new ArrayList<>(set);
    return list.get(rnd.nextInt(list.size()));
  }

  private static List<ChainSpec> dropFromChains(List<ChainSpec> table, String victim) {
    List<ChainSpec> out = new ArrayList<>();
    for (ChainSpec c : table) {
      List<String> members = new ArrayList<>(c.members());
      if (members.size() > 1) {
        members.remove(victim);
      }
      out.add(new ChainSpec(c.chainId(), members));
    }
    return out;
  }

  private static List<ChainSpec> skewRoles(List<ChainSpec> table, SplittableRandom rnd) {
    List<ChainSpec> out = new ArrayList<>();
    for (ChainSpec c : table) {
      List<String> members = new ArrayList<>(c.members());
      if (rnd.nextBoolean()) {
        Collections.shuffle(members, new Random(rnd.nextLong()));
      }
      out.add(new ChainSpec(c.chainId(), members));
    }
    return out;
  }

  /**
   * Arbitrary small tables (dead, missing and surplus members, odd chain ids, at most one chain per
   * live node): the plan is balanced and copies exactly as few replicas as a brute-force search
   * over every balanced membership finds.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void arbitraryTablesCopyTheMinimumNumberOfReplicas(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int liveCount = rnd.nextInt(1, 6);
    int chainLength = rnd.nextInt(1, 5);
    List<String> pool = nodes(0, liveCount + 3);
    Set<String> live = new TreeSet<>(pool.subList(0, liveCount));
    List<Integer> ids = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    Collections.shuffle(ids, new Random(seed));
    List<ChainSpec> table = new ArrayList<>();
    int chains = rnd.nextInt(liveCount + 1);
    for (int c = 0; c < chains; c++) {
      List<String> shuffled = new ArrayList<>(pool);
      Collections.shuffle(shuffled, new Random(rnd.nextLong()));
      table.add(
          new ChainSpec(
              ids.get(c),
              shuffled.subList(0, rnd.nextInt(1, Math.min(chainLength + 2, pool.size() + 1)))));
    }
    String ctx = "seed " + seed + " table " + table + " live " + live + " R " + chainLength;
    List<ChainChange> plan = RebalancePlanner.plan(table, live, chainLength);
    planAndCheck(table, live, chainLength, seed, ctx);
    long copies =
        plan.stream().filter(c -> c instanceof ReplaceMember || c instanceof AddMember).count();
    int r = Math.min(chainLength, liveCount);
    int[] capacity = new int[liveCount];
    java.util.Arrays.fill(capacity, r);
    int best =
        minNewMemberships(table, new ArrayList<>(live), r, 0, capacity, liveCount - table.size());
    assertThat(copies).as("%s plan %s", ctx, plan).isEqualTo(best);
  }

  /**
   * Minimum number of new memberships over all ways to give chains {@code c..} (then {@code
   * freshChains} new ones) r distinct live members each without exceeding node capacities.
   */
  private static int minNewMemberships(
      List<ChainSpec> table, List<String> live, int r, int c, int[] capacity, int freshChains) {
    if (c == table.size()) {
      // New chains: any feasible fill costs nothing extra in this count; check feasibility.
      return freshFeasible(capacity, r, freshChains) ? 0 : Integer.MAX_VALUE;
    }
    int best = Integer.MAX_VALUE;
    int n = live.size();
    for (int mask = 0; mask < (1 << n); mask++) {
      if (Integer.bitCount(mask) != r) {
        continue;
      }
      int added = 0;
      boolean ok = true;
      for (int j = 0; j < n; j++) {
        if ((mask & (1 << j)) != 0) {
          ok &= capacity[j] > 0;
          added += table.get(c).members().contains(live.get(j)) ? 0 : 1;
        }
      }
      if (!ok) {
        continue;
      }
      for (int j = 0; j < n; j++) {
        capacity[j] -= (mask >> j) & 1;
      }
      int rest = minNewMemberships(table, live, r, c + 1, capacity, freshChains);
      for (int j = 0; j < n; j++) {
        capacity[j] += (mask >> j) & 1;
      }
      if (rest != Integer.MAX_VALUE) {
        best = Math.min(best, added + rest);
      }
    }
    return best;
  }

  private static boolean freshFeasible(int[] capacity, int r, int freshChains) {
    // Each fresh chain needs r distinct nodes: greedy on the largest capacities is exact here.
    int[] cap = capacity.clone();
    for (int k = 0; k < freshChains; k++) {
      java.util.Arrays.sort(cap);
      for (int j = cap.length - 1; j >= cap.length - r; j--) {
        if (cap[j] == 0) {
          return false;
        }
        cap[j]--;
      }
    }
    return true;
  }

  /** Role skew alone is repaired by role swaps only: no data is copied. */
  @ParameterizedTest
  @MethodSource("seeds")
  void roleSkewIsFixedWithReordersOnly(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(1, 20);
    int chainLength = rnd.nextInt(1, n + 1);
    List<String> all = nodes(0, n);
    List<ChainSpec> skewed = skewRoles(RotatedChainTable.build(all, chainLength), rnd);
    List<ChainChange> plan = RebalancePlanner.plan(skewed, new TreeSet<>(all), chainLength);
    assertThat(plan).as("seed %d", seed).allMatch(c -> c instanceof Reorder);
    assertThat(plan.size()).as("seed %d", seed).isLessThanOrEqualTo(n);
    planAndCheck(skewed, new TreeSet<>(all), chainLength, seed, "seed " + seed);
  }

  /** A dead node replaced by a fresh one: the newcomer takes exactly the dead node's places. */
  @ParameterizedTest
  @MethodSource("seeds")
  void replacementNodeTakesOverExactlyTheDeadNodesReplicas(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(2, 20);
    int chainLength = rnd.nextInt(1, n + 1);
    List<String> all = nodes(0, n);
    List<ChainSpec> table = RotatedChainTable.build(all, chainLength);
    String dead = all.get(rnd.nextInt(n));
    Set<String> live = new TreeSet<>(all);
    live.remove(dead);
    live.add("fresh");
    List<ChainChange> plan = RebalancePlanner.plan(table, live, chainLength);
    assertThat(plan)
        .as("seed %d: %s", seed, plan)
        .hasSize(chainLength)
        .allMatch(c -> c instanceof ReplaceMember rm && rm.oldNode().equals(dead));
    planAndCheck(table, live, chainLength, seed, "seed " + seed);
  }

  /** A join adds one chain and moves the minimum of r - 1 existing replicas to the newcomer. */
  @ParameterizedTest
  @MethodSource("seeds")
  void joinAddsOneChainAndMovesFewReplicas(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(1, 20);
    int chainLength = rnd.nextInt(1, n + 1);
    List<String> all = nodes(0, n);
    List<ChainSpec> table = RotatedChainTable.build(all, chainLength);
    Set<String> live = new TreeSet<>(all);
    live.add(node(n));
    List<ChainChange> plan = RebalancePlanner.plan(table, live, chainLength);
    assertThat(plan.stream().filter(c -> c instanceof AddChain).count())
        .as("seed %d", seed)
        .isEqualTo(1);
    assertThat(plan.stream().filter(ChainChange::copiesData).count())
        .as("seed %d: %s", seed, plan)
        .isEqualTo(chainLength - 1);
    assertThat(plan).noneMatch(c -> c instanceof RemoveChain || c instanceof AddMember);
    planAndCheck(table, live, chainLength, seed, "seed " + seed);
  }

  /** A departure removes one chain; every chain regains full length from live nodes. */
  @ParameterizedTest
  @MethodSource("seeds")
  void departureRemovesOneChain(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(2, 20);
    int chainLength = rnd.nextInt(1, n + 1);
    List<String> all = nodes(0, n);
    List<ChainSpec> table = RotatedChainTable.build(all, chainLength);
    Set<String> live = new TreeSet<>(all);
    live.remove(all.get(rnd.nextInt(n)));
    List<ChainChange> plan = RebalancePlanner.plan(table, live, chainLength);
    assertThat(plan.stream().filter(c -> c instanceof RemoveChain).count())
        .as("seed %d", seed)
        .isEqualTo(1);
    assertThat(plan).noneMatch(c -> c instanceof AddChain);
    planAndCheck(table, live, chainLength, seed, "seed " + seed);
  }

  @Test
  void balancedTableNeedsNoPlan() {
    List<String> all = nodes(0, 7);
    assertThat(RebalancePlanner.plan(RotatedChainTable.build(all, 3), new TreeSet<>(all), 3))
        .isEmpty();
  }

  @Test
  void noLiveNodesRemovesEveryChain() {
    List<ChainSpec> table = RotatedChainTable.build(nodes(0, 3), 2);
    assertThat(RebalancePlanner.plan(table, Set.of(), 2))
        .containsExactly(new RemoveChain(0), new RemoveChain(1), new RemoveChain(2));
  }

  @Test
  void emptyTableGetsOneChainPerNode() {
    Set<String> live = new TreeSet<>(nodes(0, 5));
    List<ChainChange> plan = RebalancePlanner.plan(List.of(), live, 3);
    assertThat(plan).hasSize(5).allMatch(c -> c instanceof AddChain);
    assertBalanced(RebalancePlanner.apply(List.of(), plan), live, 3, "empty");
  }

  @Test
  void shortChainGetsMemberAppendedAsTail() {
    // Three nodes, R = 3; chain 0 lost n002 without replacement: n002 is live again.
    List<ChainSpec> table =
        List.of(
            new ChainSpec(0, List.of("n000", "n001")),
            new ChainSpec(1, List.of("n001", "n002", "n000")),
            new ChainSpec(2, List.of("n002", "n000", "n001")));
    List<ChainChange> plan = RebalancePlanner.plan(table, Set.of("n000", "n001", "n002"), 3);
    assertThat(plan).containsExactly(new AddMember(0, "n002"));
  }

  @Test
  void chainLongerThanTargetLosesAMember() {
    // R lowered from 3 to 2 on three nodes: each chain drops one member, no data is copied.
    List<String> all = nodes(0, 3);
    List<ChainSpec> table = RotatedChainTable.build(all, 3);
    List<ChainChange> plan = RebalancePlanner.plan(table, new TreeSet<>(all), 2);
    assertThat(plan).noneMatch(ChainChange::copiesData);
    assertThat(plan.stream().filter(c -> c instanceof RemoveMember).count()).isEqualTo(3);
    assertBalanced(RebalancePlanner.apply(table, plan), new TreeSet<>(all), 2, "shrink");
  }

  @Test
  void planScalesToALargeCluster() {
    List<String> all = nodes(0, 200);
    List<ChainSpec> table = RotatedChainTable.build(all, 3);
    Set<String> live = new TreeSet<>(all);
    live.remove(node(17));
    live.remove(node(120));
    live.add(node(500));
    List<ChainSpec> next = RebalancePlanner.apply(table, RebalancePlanner.plan(table, live, 3));
    assertBalanced(next, live, 3, "large");
  }

  @Test
  void rejectsBadInput() {
    ChainSpec c = new ChainSpec(1, List.of("a"));
    assertThatThrownBy(() -> RebalancePlanner.plan(List.of(c, c), Set.of("a"), 1))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> RebalancePlanner.plan(List.of(c), Set.of("a"), 0))
        .isInstanceOf(InvalidPlacementException.class);
    Set<String> withEmpty = new HashSet<>(List.of("a", ""));
    assertThatThrownBy(() -> RebalancePlanner.plan(List.of(c), withEmpty, 1))
        .isInstanceOf(InvalidPlacementException.class);
  }

  @Test
  void applyRejectsStepsThatDoNotFit() {
    List<ChainSpec> table = List.of(new ChainSpec(0, List.of("a", "b")));
    List<List<ChainChange>> bad =
        List.of(
            List.of(new ReplaceMember(0, "x", "c")),
            List.of(new ReplaceMember(0, "a", "b")),
            List.of(new ReplaceMember(9, "a", "c")),
            List.of(new Reorder(0, List.of("a", "c"))),
            List.of(new Reorder(0, List.of("a"))),
            List.of(new AddChain(new ChainSpec(0, List.of("c")))),
            List.of(new RemoveChain(3)),
            List.of(new AddMember(0, "a")),
            List.of(new RemoveMember(0, "c")),
            List.of(new RemoveMember(0, "a"), new RemoveMember(0, "b")));
    for (List<ChainChange> plan : bad) {
      assertThatThrownBy(() -> RebalancePlanner.apply(table, plan))
          .as("%s", plan)
          .isInstanceOf(InvalidChainChangeException.class);
    }
  }

  @Test
  void changesValidateThemselves() {
    assertThatThrownBy(() -> new ReplaceMember(0, "a", "a"))
        .isInstanceOf(InvalidChainChangeException.class);
    assertThatThrownBy(() -> new Reorder(0, List.of("a", "a")))
        .isInstanceOf(InvalidChainChangeException.class);
    assertThatThrownBy(() -> new Reorder(0, List.of()))
        .isInstanceOf(InvalidChainChangeException.class);
    assertThat(new AddChain(new ChainSpec(4, List.of("a"))).chainId()).isEqualTo(4);
    assertThat(new ReplaceMember(0, "a", "b").copiesData()).isTrue();
    assertThat(new AddMember(0, "a").copiesData()).isTrue();
    assertThat(new Reorder(0, List.of("a")).copiesData()).isFalse();
    assertThat(new RemoveMember(0, "a").copiesData()).isFalse();
  }

  @Test
  void applyPlacesReplacementAtTheOldPosition() {
    List<ChainSpec> table = List.of(new ChainSpec(0, List.of("a", "b", "c")));
    assertThat(RebalancePlanner.apply(table, List.of(new ReplaceMember(0, "a", "d"))))
        .containsExactly(new ChainSpec(0, List.of("d", "b", "c")));
    assertThat(RebalancePlanner.apply(table, List.of(new AddMember(0, "d"))))
        .containsExactly(new ChainSpec(0, List.of("a", "b", "c", "d")));
    assertThat(RebalancePlanner.apply(table, List.of(new RemoveMember(0, "b"))))
        .containsExactly(new ChainSpec(0, List.of("a", "c")));
  }
}
