package dev.catena.deploy.cli;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.ClusterAdmin.SyncProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Follows one node's joins across successive cluster status reads (pure; no I/O): for each chain
 * that lists the node, or listed it as SYNCING earlier, whether it is SYNCING, ACTIVE or has left,
 * with the last progress it published there. Published progress disappears once a member is
 * promoted, so a chain seen SYNCING keeps its last report and counts as complete once ACTIVE.
 *
 * <p>The join is {@link View#done() done} once the node is a member of at least one chain and
 * ACTIVE in every chain that lists it (a chain that dropped it while it was SYNCING counts as left,
 * not as pending).
 */
final class JoinTracker {
  /** Where the node stands in one chain. */
  enum Phase {
    SYNCING,
    ACTIVE,
    LEFT
  }

  /** One chain: its phase and the last progress published there (null if none seen). */
  record ChainJoin(int chainId, Phase phase, SyncProgress last) {}

  /** The node's joins at one read. */
  record View(String nodeId, List<ChainJoin> chains) {
    long active() {
      return count(Phase.ACTIVE);
    }

    long syncing() {
      return count(Phase.SYNCING);
    }

    long left() {
      return count(Phase.LEFT);
    }

    private long count(Phase p) {
      return chains.stream().filter(c -> c.phase() == p).count();
    }

    /** Member somewhere and ACTIVE wherever it is a member. */
    boolean done() {
      return active() > 0 && syncing() == 0;
    }

    /** Totals are known for every chain still syncing (and there is one to measure). */
    boolean plannedKnown() {
      List<ChainJoin> tracked = tracked();
      return !tracked.isEmpty()
          && tracked.stream()
              .allMatch(
                  c -> c.phase() == Phase.ACTIVE || (c.last() != null && c.last().plannedKnown()));
    }

    /** Chains whose progress counts: those syncing, and active ones that were seen syncing. */
    private List<ChainJoin> tracked() {
      return chains.stream()
          .filter(
              c -> c.phase() == Phase.SYNCING || (c.phase() == Phase.ACTIVE && c.last() != null))
          .toList();
    }

    private long sum(java.util.function.ToLongFunction<ChainJoin> f) {
      return tracked().stream().mapToLong(f).sum();
    }

    /** Bytes installed; an ACTIVE chain counts as its full planned total. */
    long bytes() {
      return sum(c -> c.last() == null ? 0 : c.phase() == Phase.ACTIVE ? planned(c) : done(c));
    }

    long plannedBytes() {
      return sum(c -> c.last() == null ? 0 : planned(c));
    }

    long keys() {
      return sum(
          c ->
              c.last() == null
                  ? 0
                  : c.phase() == Phase.ACTIVE ? c.last().plannedKeys() : c.last().keys());
    }

    long plannedKeys() {
      return sum(c -> c.last() == null ? 0 : c.last().plannedKeys());
    }

    /** Largest lag among the chains still syncing. */
    long lagSeqs() {
      return chains.stream()
          .filter(c -> c.phase() == Phase.SYNCING && c.last() != null)
          .mapToLong(c -> c.last().lagSeqs())
          .max()
          .orElse(0);
    }

    /** Bytes done of planned over every tracked chain; empty while some total is unknown. */
    OptionalDouble fraction() {
      if (done()) {
        return OptionalDouble.of(1.0);
      }
      return SyncProgressFormat.fraction(plannedKnown(), bytes(), plannedBytes());
    }

    private static long planned(ChainJoin c) {
      return c.last().plannedKnown() ? c.last().plannedBytes() : c.last().bytes();
    }

    private static long done(ChainJoin c) {
      return Math.min(c.last().bytes(), planned(c));
    }
  }

  private final String nodeId;
  private final Map<Integer, ChainJoin> chains = new TreeMap<>();

  JoinTracker(String nodeId) {
    this.nodeId = nodeId;
  }

  /** Takes in one status read. */
  void update(ClusterAdmin.Status s) {
    var listed = new TreeMap<Integer, Phase>();
    for (ClusterAdmin.ChainStatus c : s.chains()) {
      if (c.syncing().contains(nodeId)) {
        listed.put(c.chainId(), Phase.SYNCING);
      } else if (c.members().contains(nodeId)) {
        listed.put(c.chainId(), Phase.ACTIVE);
      }
      for (SyncProgress p : c.sync()) {
        if (p.nodeId().equals(nodeId) && c.syncing().contains(nodeId)) {
          ChainJoin old = chains.get(c.chainId());
          chains.put(c.chainId(), new ChainJoin(c.chainId(), Phase.SYNCING, newer(old, p)));
        }
      }
    }
    for (var e : listed.entrySet()) {
      ChainJoin old = chains.get(e.getKey());
      chains.put(
          e.getKey(), new ChainJoin(e.getKey(), e.getValue(), old == null ? null : old.last()));
    }
    for (var e : new ArrayList<>(chains.entrySet())) {
      if (!listed.containsKey(e.getKey())) {
        ChainJoin c = e.getValue();
        if (c.phase() == Phase.SYNCING) {
          chains.put(e.getKey(), new ChainJoin(c.chainId(), Phase.LEFT, c.last()));
        } else if (c.phase() == Phase.ACTIVE) {
          chains.remove(e.getKey()); // no longer a member: drained or moved, not this join's
        }
      }
    }
  }

  /** Keeps the later report; a new stream (planned totals changed) replaces the old one. */
  private static SyncProgress newer(ChainJoin old, SyncProgress p) {
    if (old == null || old.last() == null) {
      return p;
    }
    return p.updatedAtMillis() >= old.last().updatedAtMillis() ? p : old.last();
  }

  /** The node's joins as of the last update. */
  View view() {
    return new View(nodeId, List.copyOf(chains.values()));
  }
}
