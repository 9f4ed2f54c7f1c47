package dev.catena.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The role-balanced target order of every existing chain (DESIGN §3 "rotated chain tables", "role
 * balance"). Pure and deterministic.
 *
 * <p>The target depends only on the eligible nodes and the chain ids, never on the current members:
 * with the eligible nodes sorted by id ({@code n_0 … n_{N-1}}) and {@code r = min(R, N)}, the chain
 * at position {@code p} of the sorted chain ids gets {@code n_{p mod N} … n_{(p+r-1) mod N}}, the
 * rotated table the cluster was bootstrapped with. So every node heads and tails the same number of
 * chains, ±1, whatever the chain count (fixed at bootstrap) and node count; with as many chains as
 * nodes every node heads, tails and holds exactly the same number. After a failure and a return the
 * target is the bootstrap layout again.
 *
 * <p><b>Why not the sharding planner's target.</b> {@code RebalancePlanner} minimises copies by
 * preferring each role's current holder. Without reorders a chain reaches its target through
 * intermediate configurations (join at the tail, remove a member), and at each of them the planner
 * prefers the new holders, so its target moves while the chain walks towards it; with two symmetric
 * chains it flips back and forth for ever. A target that ignores the current members cannot move,
 * and the walk towards it ends (see {@link Reconfigurer}); the price is more copies after a
 * permanent membership change than a minimal plan would need.
 */
final class RoleTargets {
  private RoleTargets() {}

  /**
   * @param chainIds the existing chain ids
   * @param nodes the nodes that may hold replicas
   * @param chainLength the chain length {@code R >= 1}
   * @return target members (head first) by chain id; empty if {@code nodes} is empty
   */
  static Map<Integer, List<String>> compute(
      Collection<Integer> chainIds, Set<String> nodes, int chainLength) {
    Map<Integer, List<String>> targets = new TreeMap<>();
    if (nodes.isEmpty()) {
      return targets;
    }
    List<String> sorted = new ArrayList<>(new TreeSet<>(nodes));
    int n = sorted.size();
    int r = Math.min(Math.max(1, chainLength), n);
    int p = 0;
    for (int id : new TreeSet<>(chainIds)) {
      List<String> members = new ArrayList<>(r);
      for (int j = 0; j < r; j++) {
        members.add(sorted.get((p + j) % n));
      }
      targets.put(id, List.copyOf(members));
      p++;
    }
    return targets;
  }

  /**
   * How many leading members of {@code target} appear, in that order, in {@code current}: those
   * members can stay where they are, every other member of {@code target} has to join at the tail.
   */
  static int keptPrefix(List<String> current, List<String> target) {
    int k = 0;
    for (String m : current) {
      if (k < target.size() && target.get(k).equals(m)) {
        k++;
      }
    }
    return k;
  }

  /** The members of {@code current} that belong to the kept prefix of {@code target}. */
  static Set<String> kept(List<String> current, List<String> target) {
    return new HashSet<>(target.subList(0, keptPrefix(current, target)));
  }
}
