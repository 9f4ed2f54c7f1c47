package dev.catena.sharding;

import dev.catena.sharding.ChainChange.AddChain;
import dev.catena.sharding.ChainChange.AddMember;
import dev.catena.sharding.ChainChange.RemoveChain;
import dev.catena.sharding.ChainChange.RemoveMember;
import dev.catena.sharding.ChainChange.Reorder;
import dev.catena.sharding.ChainChange.ReplaceMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans the chain reconfigurations that bring a chain table back to a balanced shape after nodes
 * fail, return, join or leave (design §3 "role balance", §4a "role skew").
 *
 * <p><b>Target.</b> With {@code L} live nodes and chain length {@code R}, let {@code r = min(R,
 * L)}. After {@link #apply applying} the plan: there are exactly {@code L} chains; every chain has
 * exactly {@code r} distinct live members; every live node is a member of exactly {@code r} chains,
 * head of exactly one and tail of exactly one (so heads, tails and memberships differ by at most
 * one, in fact by zero, across live nodes). With no live node the plan removes every chain.
 *
 * <p><b>Cost model and preference.</b> A replica copy ({@link ReplaceMember}, {@link AddMember})
 * streams a chain's full data to a node and is expensive; a role swap ({@link Reorder}) or a member
 * removal copies nothing and is cheap. The planner first chooses the member set of every chain so
 * that the number of new (chain, node) memberships, i.e. replica copies, is the minimum possible
 * for the kept chains (a minimum-cost flow where keeping a current live member costs 0 and adding a
 * node costs 1). Only then does it choose heads and tails among those members, preferring the node
 * that already holds (or naturally takes) the role, so a chain is reordered only when role balance
 * requires it. Thus data moves are minimised first and role swaps second.
 *
 * <p><b>Chain count.</b> When there are more chains than live nodes the chains with the fewest live
 * members are removed (ties: the highest chain id); when there are fewer, chains are added with the
 * smallest unused non-negative ids. Adding or removing a chain moves shards: the coordinator
 * reassigns them with {@link ShardAssignment#rebalance} (for a removal, before the chain stops).
 *
 * <p><b>Order of steps.</b> The plan is applied one step at a time; its order is: (1) repairs of
 * chains that hold dead nodes or are short (replace or drop dead members, append members), so
 * redundancy comes back first; (2) added chains; (3) removed chains; (4) rebalancing moves of live
 * members; (5) role swaps. Steps of one chain keep that order, and each {@link Reorder} lists the
 * chain's final members, so it comes after that chain's member changes.
 *
 * <p><b>Determinism.</b> The result depends only on the table's chains (not their order in the
 * list), the live set and {@code chainLength}; every collection is iterated in sorted order.
 * Applying a plan and planning again yields an empty plan.
 */
public final class RebalancePlanner {
  private RebalancePlanner() {}

  /**
   * Plans the steps from {@code table} to a balanced table over {@code liveNodes}.
   *
   * @param table current chains, possibly degraded (dead members, short or long chains, skewed
   *     roles); chain ids must be distinct
   * @param liveNodes nodes that may hold replicas
   * @param chainLength target replication factor {@code R >= 1}
   * @throws InvalidPlacementException on duplicate chain ids, {@code chainLength < 1} or a null or
   *     empty node id
   */
  public static List<ChainChange> plan(
      List<ChainSpec> table, Set<String> liveNodes, int chainLength) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(liveNodes, "liveNodes");
    if (chainLength < 1) {
      throw new InvalidPlacementException("chainLength must be >= 1, got " + chainLength);
    }
    TreeMap<Integer, ChainSpec> byId = indexById(table);
    List<String> live = new ArrayList<>(new TreeSet<>(checkNodes(liveNodes)));
    int nodeCount = live.size();
    if (nodeCount == 0) {
      List<ChainChange> all = new ArrayList<>();
      byId.keySet().forEach(id -> all.add(new RemoveChain(id)));
      return List.copyOf(all);
    }
    int r = Math.min(chainLength, nodeCount);
    Set<String> liveSet = new HashSet<>(live);

    // Which chains stay, which go, which are new.
    List<ChainSpec> removed = new ArrayList<>();
    List<ChainSpec> kept = new ArrayList<>(byId.values());
    if (kept.size() > nodeCount) {
      List<ChainSpec> byWeakness = new ArrayList<>(kept);
      byWeakness.sort(
          Comparator.<ChainSpec>comparingInt(c -> liveCount(c, liveSet))
              .thenComparing(Comparator.comparingInt(ChainSpec::chainId).reversed()));
      removed.addAll(byWeakness.subList(0, kept.size() - nodeCount));
      kept.removeAll(removed);
      removed.sort(Comparator.comparingInt(ChainSpec::chainId));
    }
    List<ChainSlot> slots = new ArrayList<>();
    for (ChainSpec c : kept) {
      slots.add(new ChainSlot(c.chainId(), c.members()));
    }
    for (int id = 0; slots.size() < nodeCount; id++) {
      if (!byId.containsKey(id)) {
        slots.add(new ChainSlot(id, List.of()));
      }
    }

    TargetTableSolver.chooseMembers(slots, live, r);
    TargetTableSolver.chooseRoles(slots, live, r);

    List<ChainChange> repairs = new ArrayList<>();
    List<ChainChange> added = new ArrayList<>();
    List<ChainChange> moves = new ArrayList<>();
    List<ChainChange> reorders = new ArrayList<>();
    for (ChainSlot s : slots) {
      if (s.current.isEmpty()) {
        added.add(new AddChain(new ChainSpec(s.id, s.targetOrder(s.target))));
      } else {
        emitMemberChanges(s, liveSet, repairs, moves, reorders);
      }
    }
    List<ChainChange> plan = new ArrayList<>(repairs);
    plan.addAll(added);
    removed.forEach(c -> plan.add(new RemoveChain(c.chainId())));
    plan.addAll(moves);
    plan.addAll(reorders);
    return List.copyOf(plan);
  }

  /**
   * Applies {@code plan} to {@code table} step by step, with the position rules of {@link
   * ChainChange}; pure. The result is sorted by chain id.
   *
   * @throws InvalidChainChangeException if a step does not fit the table it is applied to
   * @throws InvalidPlacementException if {@code table} has duplicate chain ids
   */
  public static List<ChainSpec> apply(List<ChainSpec> table, List<ChainChange> plan) {
    Objects.requireNonNull(plan, "plan");
    TreeMap<Integer, List<String>> chains = new TreeMap<>();
    indexById(table).forEach((id, c) -> chains.put(id, new ArrayList<>(c.members())));
    for (ChainChange change : plan) {
      Objects.requireNonNull(change, "change");
      applyOne(chains, change);
    }
    List<ChainSpec> result = new ArrayList<>();
    chains.forEach((id, members) -> result.add(new ChainSpec(id, members)));
    return List.copyOf(result);
  }

  private static void applyOne(Map<Integer, List<String>> chains, ChainChange change) {
    if (change instanceof AddChain a) {
      if (chains.containsKey(a.chainId())) {
        throw new InvalidChainChangeException(change + ": chain already exists");
      }
      chains.put(a.chainId(), new ArrayList<>(a.chain().members()));
      return;
    }
    List<String> members = chains.get(change.chainId());
    if (members == null) {
      throw new InvalidChainChangeException(change + ": no such chain");
    }
    if (change instanceof RemoveChain) {
      chains.remove(change.chainId());
    } else if (change instanceof ReplaceMember rm) {
      int at = members.indexOf(rm.oldNode());
      if (at < 0 || members.contains(rm.newNode())) {
        throw new InvalidChainChangeException(change + " does not fit " + members);
      }
      members.set(at, rm.newNode());
    } else if (change instanceof Reorder ro) {
      if (ro.newMembers().size() != members.size()
          || !new HashSet<>(members).equals(new HashSet<>(ro.newMembers()))) {
        throw new InvalidChainChangeException(change + " changes the member set " + members);
      }
      members.clear();
      members.addAll(ro.newMembers());
    } else if (change instanceof AddMember am) {
      if (members.contains(am.node())) {
        throw new InvalidChainChangeException(change + ": already a member of " + members);
      }
      members.add(am.node());
    } else if (change instanceof RemoveMember rm) {
      if (!members.contains(rm.node()) || members.size() == 1) {
        throw new InvalidChainChangeException(change + " does not fit " + members);
      }
      members.remove(rm.node());
    } else {
      throw new InvalidChainChangeException("unknown change " + change);
    }
  }

  /**
   * Emits the member changes of one existing chain: pairs removed members with added ones
   * (ReplaceMember), drops the rest (RemoveMember) or appends (AddMember), then a Reorder if head
   * or tail is not yet in place.
   */
  private static void emitMemberChanges(
      ChainSlot s,
      Set<String> live,
      List<ChainChange> repairs,
      List<ChainChange> moves,
      List<ChainChange> reorders) {
    List<String> removed = s.removedInOrder();
    LinkedHashSet<String> toAdd = new LinkedHashSet<>(s.addedSorted());
    Map<String, String> pairs = new HashMap<>();
    String first = s.current.get(0);
    String last = s.current.get(s.current.size() - 1);
    if (removed.contains(first) && toAdd.remove(s.head)) {
      pairs.put(first, s.head);
    }
    boolean appends = toAdd.size() > removed.size() - pairs.size();
    String appendLast = null;
    if (toAdd.contains(s.tail)) {
      if (appends) {
        toAdd.remove(s.tail);
        appendLast = s.tail;
      } else if (removed.contains(last) && !pairs.containsKey(last)) {
        toAdd.remove(s.tail);
        pairs.put(last, s.tail);
      }
    }
    List<String> order = new ArrayList<>(s.current);
    var addIt = toAdd.iterator();
    for (String old : removed) {
      List<ChainChange> phase = live.contains(old) ? moves : repairs;
      String replacement = pairs.get(old);
      if (replacement == null && addIt.hasNext()) {
        replacement = addIt.next();
        addIt.remove();
      }
      if (replacement != null) {
        phase.add(new ReplaceMember(s.id, old, replacement));
        order.set(order.indexOf(old), replacement);
      } else {
        phase.add(new RemoveMember(s.id, old));
        order.remove(old);
      }
    }
    List<String> appendOrder = new ArrayList<>(toAdd);
    if (appendLast != null) {
      appendOrder.add(appendLast);
    }
    for (String node : appendOrder) {
      repairs.add(new AddMember(s.id, node));
      order.add(node);
    }
    List<String> wanted = s.targetOrder(order);
    if (!wanted.equals(order)) {
      reorders.add(new Reorder(s.id, wanted));
    }
  }

  private static int liveCount(ChainSpec chain, Set<String> live) {
    int n = 0;
    for (String m : chain.members()) {
      if (live.contains(m)) {
        n++;
      }
    }
    return n;
  }

  private static TreeMap<Integer, ChainSpec> indexById(List<ChainSpec> table) {
    Objects.requireNonNull(table, "table");
    TreeMap<Integer, ChainSpec> byId = new TreeMap<>();
    for (ChainSpec c : table) {
      Objects.requireNonNull(c, "chain");
      if (byId.put(c.chainId(), c) != null) {
        throw new InvalidPlacementException("duplicate chain id " + c.chainId());
      }
    }
    return byId;
  }

  private static Set<String> checkNodes(Set<String> nodes) {
    for (String n : nodes) {
      if (n == null || n.isEmpty()) {
        throw new InvalidPlacementException("null or empty node id");
      }
    }
    return nodes;
  }
}
