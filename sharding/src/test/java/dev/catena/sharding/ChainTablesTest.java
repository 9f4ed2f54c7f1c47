package dev.catena.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Design §3 "rotated chain tables": ChainSpec, RotatedChainTable and RoleBalance. */
class ChainTablesTest {

  static LongStream seeds() {
    return LongStream.range(0, 500);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void rotatedTableGivesEveryNodeOneHeadOneTailAndRMemberships(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(1, 65);
    int r = rnd.nextInt(1, n + 1);
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add("node-" + Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36) + "-" + i);
    }
    List<ChainSpec> table = RotatedChainTable.build(nodes, r);
    assertThat(table).as("seed %d", seed).hasSize(n);
    for (int i = 0; i < n; i++) {
      ChainSpec c = table.get(i);
      assertThat(c.chainId()).as("seed %d", seed).isEqualTo(i);
      assertThat(new HashSet<>(c.members())).as("seed %d chain %d", seed, i).hasSize(r);
      assertThat(c.head()).as("seed %d", seed).isEqualTo(nodes.get(i));
      assertThat(c.tail()).as("seed %d", seed).isEqualTo(nodes.get((i + r - 1) % n));
    }
    RoleBalance balance = RoleBalance.of(table);
    assertThat(balance.isBalanced()).as("seed %d %s", seed, balance).isTrue();
    assertThat(balance.heads().keySet()).containsExactlyInAnyOrderElementsOf(nodes);
    assertThat(balance.heads().values()).as("seed %d", seed).allMatch(h -> h == 1);
    assertThat(balance.tails().values()).as("seed %d", seed).allMatch(t -> t == 1);
    assertThat(balance.memberships().values()).as("seed %d", seed).allMatch(m -> m == r);
  }

  @Test
  void rotatedTableOfFiveNodesLengthThree() {
    List<ChainSpec> table = RotatedChainTable.build(List.of("a", "b", "c", "d", "e"), 3);
    assertThat(table)
        .containsExactly(
            new ChainSpec(0, List.of("a", "b", "c")),
            new ChainSpec(1, List.of("b", "c", "d")),
            new ChainSpec(2, List.of("c", "d", "e")),
            new ChainSpec(3, List.of("d", "e", "a")),
            new ChainSpec(4, List.of("e", "a", "b")));
  }

  @Test
  void rotatedTableRejectsBadArguments() {
    assertThatThrownBy(() -> RotatedChainTable.build(List.of("a", "b"), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> RotatedChainTable.build(List.of("a", "b"), 0))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> RotatedChainTable.build(List.of("a", "a"), 1))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> RotatedChainTable.build(List.of(), 1))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> RotatedChainTable.build(Arrays.asList("a", null), 1))
        .isInstanceOf(InvalidPlacementException.class);
  }

  @Test
  void chainSpecValidatesAndCopies() {
    List<String> members = new ArrayList<>(List.of("a", "b"));
    ChainSpec spec = new ChainSpec(3, members);
    members.add("c");
    assertThat(spec.members()).containsExactly("a", "b");
    assertThat(spec.head()).isEqualTo("a");
    assertThat(spec.tail()).isEqualTo("b");
    assertThatThrownBy(() -> spec.members().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new ChainSpec(0, List.of()))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> new ChainSpec(0, List.of("a", "a")))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> new ChainSpec(0, List.of("")))
        .isInstanceOf(InvalidPlacementException.class);
    assertThatThrownBy(() -> new ChainSpec(-1, List.of("a")))
        .isInstanceOf(InvalidPlacementException.class);
  }

  @Test
  void roleBalanceCountsRolesAndDetectsSkew() {
    List<ChainSpec> skewed =
        List.of(
            new ChainSpec(0, List.of("a", "b", "c")),
            new ChainSpec(1, List.of("a", "c", "b")),
            new ChainSpec(2, List.of("c", "a", "b")));
    RoleBalance balance = RoleBalance.of(skewed);
    assertThat(balance.heads()).containsEntry("a", 2).containsEntry("b", 0).containsEntry("c", 1);
    assertThat(balance.tails()).containsEntry("a", 0).containsEntry("b", 2).containsEntry("c", 1);
    assertThat(balance.memberships()).containsEntry("a", 3).containsEntry("b", 3);
    assertThat(balance.isBalanced()).isFalse();
    assertThat(RoleBalance.of(RotatedChainTable.build(List.of("a", "b", "c"), 3)).isBalanced())
        .isTrue();
    // An unused live node unbalances memberships.
    RoleBalance withIdle =
        RoleBalance.of(RotatedChainTable.build(List.of("a", "b"), 2), List.of("a", "b", "z"));
    assertThat(withIdle.memberships()).containsEntry("z", 0);
    assertThat(withIdle.isBalanced()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void shuffledMembersKeepMembershipsButUsuallySkewRoles(long seed) {
    // The balance check itself must be able to fail: compare it with a direct count.
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(2, 12);
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add("n" + i);
    }
    List<ChainSpec> table = new ArrayList<>();
    for (ChainSpec c : RotatedChainTable.build(nodes, rnd.nextInt(1, n + 1))) {
      List<String> m = new ArrayList<>(c.members());
      Collections.shuffle(m, new Random(rnd.nextLong()));
      table.add(new ChainSpec(c.chainId(), m));
    }
    int[] heads = new int[n];
    int[] tails = new int[n];
    for (ChainSpec c : table) {
      heads[nodes.indexOf(c.head())]++;
      tails[nodes.indexOf(c.tail())]++;
    }
    boolean expected =
        Arrays.stream(heads).max().getAsInt() - Arrays.stream(heads).min().getAsInt() <= 1
            && Arrays.stream(tails).max().getAsInt() - Arrays.stream(tails).min().getAsInt() <= 1;
    assertThat(RoleBalance.of(table).isBalanced()).as("seed %d", seed).isEqualTo(expected);
  }
}
