package dev.catena.sharding;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The default chain table of a cluster (design §3, "rotated chain tables").
 *
 * <p>With nodes {@code n_0 … n_{N-1}} (in the given order) and chain length {@code R} the table has
 * {@code N} chains with ids {@code 0 … N-1}; chain {@code i} is {@code (n_i, n_{i+1}, …,
 * n_{i+R-1})} with indices mod {@code N}. Every node is head of exactly one chain, tail of exactly
 * one and a member of exactly {@code R}, so all {@code N} tails serve reads in parallel.
 */
public final class RotatedChainTable {
  private RotatedChainTable() {}

  /**
   * Builds the rotated table.
   *
   * @throws InvalidPlacementException (an {@link IllegalArgumentException}) if {@code chainLength <
   *     1}, {@code chainLength > nodeIds.size()}, or a node id is null, empty or duplicated
   */
  public static List<ChainSpec> build(List<String> nodeIds, int chainLength) {
    Objects.requireNonNull(nodeIds, "nodeIds");
    int n = nodeIds.size();
    if (chainLength < 1 || chainLength > n) {
      throw new InvalidPlacementException(
          "chain length must be in [1, " + n + "] for " + n + " nodes, got " + chainLength);
    }
    Set<String> seen = new HashSet<>();
    for (String id : nodeIds) {
      if (id == null || id.isEmpty()) {
        throw new InvalidPlacementException("null or empty node id");
      }
      if (!seen.add(id)) {
        throw new InvalidPlacementException("duplicate node id " + id);
      }
    }
    List<ChainSpec> table = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> members = new ArrayList<>(chainLength);
      for (int j = 0; j < chainLength; j++) {
        members.add(nodeIds.get((i + j) % n));
      }
      table.add(new ChainSpec(i, members));
    }
    return List.copyOf(table);
  }
}
