package dev.catena.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Chooses the target table for {@link RebalancePlanner}: first the member set of every chain (each
 * of {@code r} live members, each live node in exactly {@code r} chains, keeping the largest
 * possible number of current live memberships), then head and tail of every chain (each live node
 * head of exactly one chain and tail of exactly one, preferring nodes that hold, or naturally take,
 * the role already). Both steps are minimum-cost flows ({@link MinCostFlow}); the membership graph
 * is {@code r}-regular and bipartite, so perfect head and tail matchings always exist (Hall).
 * Package-private; deterministic.
 */
final class TargetTableSolver {
  private TargetTableSolver() {}

  /**
   * Sets {@code slot.target} for every slot: r members each, each live node in exactly r slots,
   * keeping as many current live memberships as possible (minimum-cost flow, see class Javadoc).
   */
  static void chooseMembers(List<ChainSlot> slots, List<String> live, int r) {
    int n = live.size();
    int source = 0;
    int sink = 1;
    MinCostFlow flow = new MinCostFlow(2 + 2 * n);
    Map<String, Integer> nodeIndex = new HashMap<>();
    for (int j = 0; j < n; j++) {
      nodeIndex.put(live.get(j), j);
    }
    int[] fromSource = new int[n];
    int[] toSink = new int[n];
    int[][] edge = new int[n][n];
    for (int j = n - 1; j >= 0; j--) {
      toSink[j] = flow.addEdge(2 + n + j, sink, r, 0);
    }
    for (int i = 0; i < n; i++) {
      fromSource[i] = flow.addEdge(source, 2 + i, r, 0);
      Set<String> current = new HashSet<>(slots.get(i).current);
      // Added in reverse so that the residual scan visits nodes in ascending id order.
      for (int j = n - 1; j >= 0; j--) {
        edge[i][j] = flow.addEdge(2 + i, 2 + n + j, 1, current.contains(live.get(j)) ? 0 : 1);
      }
    }
    // Seed with current live memberships (zero cost), as many as the capacities allow.
    int seeded = 0;
    for (int i = 0; i < n; i++) {
      for (String m : slots.get(i).current) {
        Integer j = nodeIndex.get(m);
        if (j != null && flow.residual(fromSource[i]) > 0 && flow.residual(toSink[j]) > 0) {
          flow.push(fromSource[i], 1);
          flow.push(edge[i][j], 1);
          flow.push(toSink[j], 1);
          seeded++;
        }
      }
    }
    // All remaining zero-cost (keep a current member) units first: afterwards no full assignment
    // keeps more current memberships than this flow does.
    seeded += flow.augment(source, sink, n * r - seeded, 0);
    // Any cost-1 unit added now keeps the flow minimum-cost for its value (its cost is its value
    // minus the maximum number of kept memberships), so fill greedily: each chain takes the nodes
    // that still need the most memberships. Whatever the greedy fill cannot place, the
    // shortest-path augmentation below places optimally.
    int[] deficit = new int[n];
    for (int j = 0; j < n; j++) {
      deficit[j] = flow.residual(toSink[j]);
    }
    Integer[] byDeficit = new Integer[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        byDeficit[j] = j;
      }
      Arrays.sort(byDeficit, (a, b) -> deficit[a] != deficit[b] ? deficit[b] - deficit[a] : a - b);
      for (int k = 0; k < n && flow.residual(fromSource[i]) > 0; k++) {
        int j = byDeficit[k];
        if (deficit[j] > 0 && flow.residual(edge[i][j]) > 0) {
          flow.push(fromSource[i], 1);
          flow.push(edge[i][j], 1);
          flow.push(toSink[j], 1);
          deficit[j]--;
          seeded++;
        }
      }
    }
    int needed = n * r - seeded;
    if (flow.augment(source, sink, needed) != needed) {
      throw new IllegalStateException("no complete membership assignment"); // cannot happen
    }
    for (int i = 0; i < n; i++) {
      Set<String> target = new TreeSet<>();
      for (int j = 0; j < n; j++) {
        if (flow.flow(edge[i][j]) == 1) {
          target.add(live.get(j));
        }
      }
      slots.get(i).target = target;
    }
  }

  /**
   * Sets head and tail of every slot so that each live node is head of exactly one slot and tail of
   * exactly one, preferring natural heads and tails (two minimum-cost perfect matchings).
   */
  static void chooseRoles(List<ChainSlot> slots, List<String> live, int r) {
    List<String> heads = match(slots, live, ChainSlot::naturalHeads, null);
    for (int i = 0; i < slots.size(); i++) {
      slots.get(i).head = heads.get(i);
    }
    if (r == 1) {
      slots.forEach(s -> s.tail = s.head);
      return;
    }
    List<String> tails = match(slots, live, ChainSlot::naturalTails, heads);
    for (int i = 0; i < slots.size(); i++) {
      slots.get(i).tail = tails.get(i);
    }
  }

  static List<String> match(
      List<ChainSlot> slots,
      List<String> live,
      Function<ChainSlot, Set<String>> preferred,
      List<String> excluded) {
    int n = live.size();
    Map<String, Integer> nodeIndex = new HashMap<>();
    for (int j = 0; j < n; j++) {
      nodeIndex.put(live.get(j), j);
    }
    MinCostFlow flow = new MinCostFlow(2 + 2 * n);
    int[] toSink = new int[n];
    for (int j = n - 1; j >= 0; j--) {
      toSink[j] = flow.addEdge(2 + n + j, 1, 1, 0);
    }
    List<Map<String, Integer>> edges = new ArrayList<>();
    int seeded = 0;
    for (int i = 0; i < n; i++) {
      ChainSlot s = slots.get(i);
      int fromSource = flow.addEdge(0, 2 + i, 1, 0);
      Set<String> pref = preferred.apply(s);
      Map<String, Integer> e = new TreeMap<>();
      List<String> candidates = new ArrayList<>(s.target);
      for (int k = candidates.size() - 1; k >= 0; k--) {
        String m = candidates.get(k);
        if (excluded == null || !m.equals(excluded.get(i))) {
          e.put(m, flow.addEdge(2 + i, 2 + n + nodeIndex.get(m), 1, pref.contains(m) ? 0 : 1));
        }
      }
      edges.add(e);
      for (Map.Entry<String, Integer> c : e.entrySet()) {
        int j = nodeIndex.get(c.getKey());
        if (pref.contains(c.getKey()) && flow.residual(toSink[j]) > 0) {
          flow.push(fromSource, 1);
          flow.push(c.getValue(), 1);
          flow.push(toSink[j], 1);
          seeded++;
          break;
        }
      }
    }
    if (flow.augment(0, 1, n - seeded) != n - seeded) {
      throw new IllegalStateException(
          "no perfect role matching"); // regular bipartite: cannot happen
    }
    List<String> result = new ArrayList<>();
    for (Map<String, Integer> e : edges) {
      String chosen = null;
      for (Map.Entry<String, Integer> c : e.entrySet()) {
        if (flow.flow(c.getValue()) == 1) {
          chosen = c.getKey();
        }
      }
      result.add(chosen);
    }
    return result;
  }
}
