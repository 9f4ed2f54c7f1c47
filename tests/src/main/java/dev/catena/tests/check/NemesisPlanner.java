package dev.catena.tests.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Pure schedule of faults: given the nodes, which of them are down and a seeded random source,
 * decides the next step. Same seed and same sequence of states → same schedule.
 *
 * <p>Rules: at most one node is down (killed or paused) at any time, so a cluster with a spare node
 * always keeps every chain available. A killed node always comes back at the next step, so the
 * faults keep coming for the whole run: restarted on its old data when {@link NemesisKind#RESTART}
 * is enabled, otherwise as a wiped replacement (same id, empty data directory) that joins like a
 * new node. A pause lasts {@code pauseFactor × session timeout} plus up to one second of jitter, so
 * the paused node's session expires and the coordinator removes it. {@link NemesisKind#ZK_EXPIRE}
 * is carried out as such a pause. The enabled faults take turns (from a random first one); the node
 * is random. Between steps there is a gap of 2–5 s.
 *
 * <p>{@link NemesisKind#PARTITION} steps take turns over three {@link Partition.Shape}s (from a
 * random first one): one random node cut off from its peers only, one random node cut off from
 * everything, and the nodes shuffled into two halves (sizes ⌊n/2⌋ and ⌈n/2⌉, either one on
 * ZooKeeper's side). A partition is held as long as a pause (past the session timeout) and healed
 * within its step, so it counts as the one fault in progress; it needs at least two nodes.
 */
public final class NemesisPlanner {
  /** What the shell does next. */
  public enum Action {
    KILL,
    /** SIGSTOP, hold, SIGCONT. */
    PAUSE,
    RESTART,
    /** Start a killed node again with its data directory wiped. */
    REPLACE,
    PARTITION,
    /** Nothing this round (no fault is allowed now). */
    IDLE
  }

  /**
   * One step: {@code action} on {@code node} (empty for IDLE and PARTITION), holding a pause or a
   * partition for {@code hold}, then waiting {@code gapAfter}. {@code partition} is {@link
   * Partition#NONE} unless the action is PARTITION.
   */
  public record Step(
      Action action, String node, Duration hold, Duration gapAfter, Partition partition) {
    public Step {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(partition, "partition");
      if ((action == Action.PARTITION) == (partition.shape() == Partition.Shape.NONE)) {
        throw new IllegalArgumentException(action + " step with partition " + partition);
      }
    }

    /** A step that is not a partition. */
    public Step(Action action, String node, Duration hold, Duration gapAfter) {
      this(action, node, hold, gapAfter, Partition.NONE);
    }
  }

  private static final List<Partition.Shape> SHAPES =
      List.of(Partition.Shape.FROM_PEERS, Partition.Shape.FROM_ALL, Partition.Shape.HALVES);

  private final Set<NemesisKind> kinds;
  private final Duration sessionTimeout;
  private final SplittableRandom random;
  private int faultCount;
  private int partitionCount = -1;

  /**
   * @param kinds the enabled faults (RESTART alone injects nothing)
   * @param sessionTimeout the nodes' ZooKeeper session timeout
   * @param random seeded source of every choice
   */
  public NemesisPlanner(Set<NemesisKind> kinds, Duration sessionTimeout, SplittableRandom random) {
    this.kinds = kinds.isEmpty() ? EnumSet.noneOf(NemesisKind.class) : EnumSet.copyOf(kinds);
    this.sessionTimeout = sessionTimeout;
    this.random = random;
  }

  /**
   * The next step.
   *
   * @param nodes every node id, in a stable order
   * @param killed nodes killed and not restarted
   * @param paused nodes currently paused (a pause step resumes its node itself, so usually empty)
   */
  public Step next(List<String> nodes, Set<String> killed, Set<String> paused) {
    Duration gap = Duration.ofMillis(2_000 + random.nextInt(3_001));
    if (!killed.isEmpty()) {
      // A node left down would end the schedule (one node down at a time): bring it back.
      String node = killed.stream().sorted().findFirst().orElseThrow();
      Action back = kinds.contains(NemesisKind.RESTART) ? Action.RESTART : Action.REPLACE;
      return new Step(back, node, Duration.ZERO, gap);
    }
    if (!paused.isEmpty()) {
      return new Step(Action.IDLE, "", Duration.ZERO, gap);
    }
    List<Action> faults = new ArrayList<>();
    if (kinds.contains(NemesisKind.KILL)) {
      faults.add(Action.KILL);
    }
    if (kinds.contains(NemesisKind.PAUSE) || kinds.contains(NemesisKind.ZK_EXPIRE)) {
      faults.add(Action.PAUSE);
    }
    if (kinds.contains(NemesisKind.PARTITION)) {
      faults.add(Action.PARTITION);
    }
    if (faults.isEmpty() || nodes.isEmpty()) {
      return new Step(Action.IDLE, "", Duration.ZERO, gap);
    }
    // Round robin over the enabled faults (random start), so a short run still sees every kind.
    if (faultCount == 0) {
      faultCount = random.nextInt(faults.size());
    }
    Action action = faults.get(faultCount++ % faults.size());
    if (action == Action.PARTITION) {
      if (nodes.size() < 2) {
        return new Step(Action.IDLE, "", Duration.ZERO, gap);
      }
      return new Step(Action.PARTITION, "", holdPastSession(), gap, partition(nodes));
    }
    String node = nodes.get(random.nextInt(nodes.size()));
    Duration hold = action == Action.PAUSE ? holdPastSession() : Duration.ZERO;
    return new Step(action, node, hold, gap);
  }

  private Duration holdPastSession() {
    return sessionTimeout.multipliedBy(3).dividedBy(2).plusMillis(random.nextInt(1_001));
  }

  private Partition partition(List<String> nodes) {
    if (partitionCount < 0) {
      partitionCount = random.nextInt(SHAPES.size());
    }
    Partition.Shape shape = SHAPES.get(partitionCount++ % SHAPES.size());
    List<String> shuffled = new ArrayList<>(nodes);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      Collections.swap(shuffled, i, random.nextInt(i + 1));
    }
    int cut =
        shape == Partition.Shape.HALVES
            ? shuffled.size() / 2 + (shuffled.size() % 2 == 1 ? random.nextInt(2) : 0)
            : 1;
    List<String> cutOff = sorted(shuffled.subList(0, cut), nodes);
    List<String> rest = sorted(shuffled.subList(cut, shuffled.size()), nodes);
    return new Partition(shape, cutOff, rest);
  }

  /** The members of {@code part} in the order of {@code order}. */
  private static List<String> sorted(List<String> part, List<String> order) {
    return order.stream().filter(part::contains).toList();
  }
}
