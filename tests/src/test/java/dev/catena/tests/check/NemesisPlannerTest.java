package dev.catena.tests.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NemesisPlannerTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3", "n4");
  private static final Duration SESSION = Duration.ofSeconds(4);

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  /** Plays a schedule the way the shell does: a pause ends within its step. */
  private static List<NemesisPlanner.Step> play(Set<NemesisKind> kinds, long seed, int steps) {
    var planner = new NemesisPlanner(kinds, SESSION, new SplittableRandom(seed));
    Set<String> killed = new LinkedHashSet<>();
    List<NemesisPlanner.Step> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      NemesisPlanner.Step s = planner.next(NODES, killed, Set.of());
      out.add(s);
      switch (s.action()) {
        case KILL -> killed.add(s.node());
        case RESTART, REPLACE -> killed.remove(s.node());
        default -> {}
      }
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void atMostOneNodeDownAndPausesOutlastTheSession(long seed) {
    var planner =
        new NemesisPlanner(
            EnumSet.of(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.RESTART),
            SESSION,
            new SplittableRandom(seed));
    Set<String> killed = new LinkedHashSet<>();
    for (int i = 0; i < 100; i++) {
      NemesisPlanner.Step s = planner.next(NODES, killed, Set.of());
      assertThat(s.gapAfter())
          .as("seed=%d", seed)
          .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
      switch (s.action()) {
        case KILL -> {
          assertThat(killed).as("seed=%d step %d: kill while a node is down", seed, i).isEmpty();
          killed.add(s.node());
        }
        case PAUSE -> {
          assertThat(killed).as("seed=%d step %d: pause while a node is down", seed, i).isEmpty();
          assertThat(s.hold()).as("seed=%d", seed).isGreaterThan(SESSION);
        }
        case RESTART, REPLACE -> {
          assertThat(killed).as("seed=%d", seed).contains(s.node());
          killed.remove(s.node());
        }
        default -> {}
      }
      assertThat(killed.size()).as("seed=%d", seed).isLessThanOrEqualTo(1);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sameSeedSameSchedule(long seed) {
    Set<NemesisKind> kinds = EnumSet.of(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.RESTART);
    assertThat(play(kinds, seed, 50)).as("seed=%d", seed).isEqualTo(play(kinds, seed, 50));
  }

  // Once "kill without restart left the node down and the planner injected nothing more": a
  // 5-minute `--nemesis kill,pause,partition` run made one kill at t=0.1 s and nothing else.
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void killWithoutRestartBringsTheNodeBackWipedAndFaultsKeepComing(long seed) {
    List<NemesisPlanner.Step> steps =
        play(EnumSet.of(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.PARTITION), seed, 60);
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i - 1).action() == NemesisPlanner.Action.KILL) {
        assertThat(steps.get(i).action())
            .as("seed=%d step %d", seed, i)
            .isEqualTo(NemesisPlanner.Action.REPLACE);
        assertThat(steps.get(i).node()).isEqualTo(steps.get(i - 1).node());
      }
    }
    assertThat(steps).noneMatch(s -> s.action() == NemesisPlanner.Action.IDLE);
  }

  /** Faults a schedule injects in {@code time}, counting each step's hold and gap. */
  private static int faultsWithin(Set<NemesisKind> kinds, long seed, Duration time) {
    int faults = 0;
    Duration t = Duration.ZERO;
    for (NemesisPlanner.Step s : play(kinds, seed, 1_000)) {
      if (t.compareTo(time) >= 0) {
        break;
      }
      switch (s.action()) {
        case KILL, PAUSE, PARTITION -> faults++;
        default -> {}
      }
      t = t.plus(s.hold()).plus(s.gapAfter());
    }
    return faults;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyScheduleStaysAboveTheStarvationFloor(long seed) {
    Duration run = Duration.ofMinutes(5);
    int floor = NemesisCounts.floor(run, true);
    for (Set<NemesisKind> kinds :
        List.of(
            EnumSet.of(NemesisKind.KILL),
            EnumSet.of(NemesisKind.KILL, NemesisKind.PAUSE),
            EnumSet.of(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.PARTITION),
            EnumSet.of(NemesisKind.KILL, NemesisKind.RESTART),
            EnumSet.of(NemesisKind.PARTITION),
            EnumSet.of(NemesisKind.ZK_EXPIRE))) {
      assertThat(faultsWithin(kinds, seed, run))
          .as("seed=%d %s", seed, kinds)
          .isGreaterThanOrEqualTo(floor);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void faultKindsTakeTurns(long seed) {
    List<NemesisPlanner.Step> steps =
        play(EnumSet.of(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.RESTART), seed, 8);
    assertThat(steps.stream().map(NemesisPlanner.Step::action).toList())
        .as("seed=%d", seed)
        .contains(NemesisPlanner.Action.KILL, NemesisPlanner.Action.PAUSE);
  }

  @Test
  void pausedNodeBlocksFurtherFaults() {
    var planner =
        new NemesisPlanner(EnumSet.of(NemesisKind.KILL), SESSION, new SplittableRandom(1));
    assertThat(planner.next(NODES, Set.of(), Set.of("n2")).action())
        .isEqualTo(NemesisPlanner.Action.IDLE);
  }

  @Test
  void zkExpireIsAPausePastTheSessionTimeout() {
    List<NemesisPlanner.Step> steps = play(EnumSet.of(NemesisKind.ZK_EXPIRE), 5, 10);
    assertThat(steps).allMatch(s -> s.action() == NemesisPlanner.Action.PAUSE);
    assertThat(steps).allMatch(s -> s.hold().compareTo(SESSION) > 0);
  }

  @Test
  void noFaultsMeansIdle() {
    assertThat(play(EnumSet.noneOf(NemesisKind.class), 1, 5))
        .allMatch(s -> s.action() == NemesisPlanner.Action.IDLE);
    assertThat(play(EnumSet.of(NemesisKind.RESTART), 1, 5))
        .allMatch(s -> s.action() == NemesisPlanner.Action.IDLE);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void partitionStepsTakeTurnsOverTheShapesAndSplitEveryNode(long seed) {
    List<String> nodes = List.of("n1", "n2", "n3", "n4", "n5");
    var planner =
        new NemesisPlanner(EnumSet.of(NemesisKind.PARTITION), SESSION, new SplittableRandom(seed));
    List<Partition.Shape> shapes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      NemesisPlanner.Step s = planner.next(nodes, Set.of(), Set.of());
      assertThat(s.action()).as("seed=%d", seed).isEqualTo(NemesisPlanner.Action.PARTITION);
      assertThat(s.hold())
          .as("seed=%d: a partition outlasts the session", seed)
          .isGreaterThan(SESSION);
      Partition p = s.partition();
      shapes.add(p.shape());
      List<String> all = new ArrayList<>(p.cutOff());
      all.addAll(p.rest());
      assertThat(all)
          .as("seed=%d %s", seed, p.describe())
          .containsExactlyInAnyOrderElementsOf(nodes);
      switch (p.shape()) {
        case FROM_PEERS, FROM_ALL ->
            assertThat(p.cutOff()).as("seed=%d %s", seed, p.describe()).hasSize(1);
        case HALVES ->
            assertThat(p.cutOff().size()).as("seed=%d %s", seed, p.describe()).isBetween(2, 3);
        case NONE -> throw new AssertionError("seed=" + seed + ": a partition step without one");
      }
      assertThat(p.cutFromZooKeeper())
          .as("seed=%d %s", seed, p.describe())
          .isEqualTo(p.shape() != Partition.Shape.FROM_PEERS);
    }
    for (int i = 0; i + 3 <= shapes.size(); i += 3) {
      assertThat(shapes.subList(i, i + 3))
          .as("seed=%d: every three partitions use every shape", seed)
          .containsExactlyInAnyOrder(
              Partition.Shape.FROM_PEERS, Partition.Shape.FROM_ALL, Partition.Shape.HALVES);
    }
  }

  @Test
  void halvesOfAnOddClusterPutEitherSizeOnZooKeepersSide() {
    Set<Integer> cutSizes = new LinkedHashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      var planner =
          new NemesisPlanner(
              EnumSet.of(NemesisKind.PARTITION), SESSION, new SplittableRandom(seed));
      for (int i = 0; i < 3; i++) {
        Partition p =
            planner.next(List.of("n1", "n2", "n3", "n4", "n5"), Set.of(), Set.of()).partition();
        if (p.shape() == Partition.Shape.HALVES) {
          cutSizes.add(p.cutOff().size());
        }
      }
    }
    assertThat(cutSizes).containsExactlyInAnyOrder(2, 3);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noPartitionWhileANodeIsDownAndSameSeedSameSchedule(long seed) {
    Set<NemesisKind> kinds =
        EnumSet.of(NemesisKind.KILL, NemesisKind.RESTART, NemesisKind.PARTITION);
    List<NemesisPlanner.Step> steps = play(kinds, seed, 40);
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i - 1).action() == NemesisPlanner.Action.KILL) {
        assertThat(steps.get(i).action())
            .as("seed=%d step %d", seed, i)
            .isEqualTo(NemesisPlanner.Action.RESTART);
      }
    }
    assertThat(steps.stream().map(NemesisPlanner.Step::action))
        .as("seed=%d", seed)
        .contains(NemesisPlanner.Action.PARTITION, NemesisPlanner.Action.KILL);
    assertThat(play(kinds, seed, 40)).as("seed=%d", seed).isEqualTo(steps);
  }

  @Test
  void partitionNeedsTwoNodes() {
    var planner =
        new NemesisPlanner(EnumSet.of(NemesisKind.PARTITION), SESSION, new SplittableRandom(1));
    assertThat(planner.next(List.of("n1"), Set.of(), Set.of()).action())
        .isEqualTo(NemesisPlanner.Action.IDLE);
  }

  @Test
  void aStepCarriesAPartitionExactlyWhenItIsOne() {
    assertThatThrownBy(
            () ->
                new NemesisPlanner.Step(
                    NemesisPlanner.Action.PARTITION, "", SESSION, SESSION, Partition.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    var p = new Partition(Partition.Shape.FROM_ALL, List.of("n1"), List.of("n2"));
    assertThatThrownBy(
            () -> new NemesisPlanner.Step(NemesisPlanner.Action.KILL, "n1", SESSION, SESSION, p))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Partition(Partition.Shape.HALVES, List.of("n1"), List.of("n1", "n2")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Partition(Partition.Shape.FROM_PEERS, List.of("n1", "n2"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
