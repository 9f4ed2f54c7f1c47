package dev.catena.tests.check;

import java.util.List;
import java.util.Objects;

/**
 * A network partition of the storage nodes, as planned by {@link NemesisPlanner}. The nodes in
 * {@link #cutOff()} lose every link to the nodes in {@link #rest()}; ZooKeeper, the manager and the
 * clients always stay with {@link #rest()}, and are also cut off from {@link #cutOff()} when {@link
 * #cutFromZooKeeper()}. Nodes on the same side keep their links.
 *
 * @param shape how the nodes are split ({@link Shape#NONE} for a step that is not a partition)
 * @param cutOff the side without ZooKeeper (empty only for {@link Shape#NONE})
 * @param rest every other node, on ZooKeeper's side
 */
public record Partition(Shape shape, List<String> cutOff, List<String> rest) {
  /** Not a partition. */
  public static final Partition NONE = new Partition(Shape.NONE, List.of(), List.of());

  /** The partitions the nemesis knows. */
  public enum Shape {
    /** No partition. */
    NONE,
    /** One node loses its peers but keeps ZooKeeper and the clients. */
    FROM_PEERS,
    /** One node loses everything: peers, ZooKeeper, manager and clients. */
    FROM_ALL,
    /** The nodes split into two halves; ZooKeeper and the clients stay with one of them. */
    HALVES
  }

  public Partition {
    Objects.requireNonNull(shape, "shape");
    cutOff = List.copyOf(cutOff);
    rest = List.copyOf(rest);
    boolean single = shape == Shape.FROM_PEERS || shape == Shape.FROM_ALL;
    if ((shape == Shape.NONE) != cutOff.isEmpty()
        || (single && cutOff.size() != 1)
        || (shape == Shape.HALVES && rest.isEmpty())) {
      throw new IllegalArgumentException(
          "bad " + shape + " partition: cut off " + cutOff + ", rest " + rest);
    }
    if (cutOff.stream().anyMatch(rest::contains)) {
      throw new IllegalArgumentException("a node on both sides: " + cutOff + " | " + rest);
    }
  }

  /** True if the cut-off side also loses ZooKeeper, the manager and the clients. */
  public boolean cutFromZooKeeper() {
    return shape == Shape.FROM_ALL || shape == Shape.HALVES;
  }

  /** One line for the nemesis log. */
  public String describe() {
    String cut = String.join(",", cutOff);
    String others = rest.isEmpty() ? "(none)" : String.join(",", rest);
    return switch (shape) {
      case NONE -> "no partition";
      case FROM_PEERS ->
          "isolate "
              + cut
              + " from its peers "
              + others
              + " (ZooKeeper and clients still reach it)";
      case FROM_ALL ->
          "isolate " + cut + " from everything (peers " + others + ", ZooKeeper, clients)";
      case HALVES ->
          "split " + cut + " | " + others + " (ZooKeeper and clients with " + others + ")";
    };
  }
}
