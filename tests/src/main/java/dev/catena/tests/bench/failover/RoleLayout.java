package dev.catena.tests.bench.failover;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chain layouts as plain member lists, and the role-balanced layout the coordinator restores
 * (config-manager README, "Target = the rotated table over the eligible nodes": sorted node ids,
 * the chain at position p of the sorted chain ids gets n_p … n_{p+r−1} mod N). Pure.
 */
public final class RoleLayout {
  private RoleLayout() {}

  /** Members of every chain, head first, with SYNCING ones marked by a trailing {@code "*"}. */
  public static Map<Integer, List<String>> of(Collection<ChainConfig> chains) {
    var out = new TreeMap<Integer, List<String>>();
    for (ChainConfig c : chains) {
      var members = new ArrayList<String>();
      for (ChainMember m : c.getMembersList()) {
        members.add(m.getNodeId() + (m.getState() == MemberState.SYNCING ? "*" : ""));
      }
      out.put(c.getChainId(), List.copyOf(members));
    }
    return out;
  }

  /** The rotated target layout over {@code nodes} for {@code chainIds}. */
  public static Map<Integer, List<String>> target(
      Collection<Integer> chainIds, Collection<String> nodes, int chainLength) {
    var sorted = new ArrayList<>(new TreeSet<>(nodes));
    int n = sorted.size();
    int r = Math.min(chainLength, n);
    var out = new TreeMap<Integer, List<String>>();
    int p = 0;
    for (int id : new TreeSet<>(chainIds)) {
      var members = new ArrayList<String>();
      for (int j = 0; j < r; j++) {
        members.add(sorted.get((p + j) % n));
      }
      out.put(id, List.copyOf(members));
      p++;
    }
    return out;
  }

  /**
   * The chains whose {@code target} members include {@code node} but whose {@code current} ones do
   * not, in chain id order: role restore moves {@code node} into them one at a time.
   */
  public static List<Integer> entering(
      Map<Integer, List<String>> current, Map<Integer, List<String>> target, String node) {
    var out = new ArrayList<Integer>();
    for (var e : new TreeMap<>(target).entrySet()) {
      List<String> now = current.getOrDefault(e.getKey(), List.of());
      if (e.getValue().contains(node) && !now.contains(node)) {
        out.add(e.getKey());
      }
    }
    return List.copyOf(out);
  }
}
