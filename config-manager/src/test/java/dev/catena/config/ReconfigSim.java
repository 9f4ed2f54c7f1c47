package dev.catena.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory cluster for policy tests: live nodes, chains with store versions, sync reports and
 * requests. {@link #step} runs the policy once, checks every returned configuration against the
 * chain invariants and applies it, the way the coordinator publishes.
 */
final class ReconfigSim {
  final ClusterSettings settings;
  final ReconfigurationPolicy policy;
  final Set<String> live = new TreeSet<>();

  /** The incarnation of each node's latest registration (see {@link #register}). */
  final Map<String, String> incarnations = new TreeMap<>();

  final Map<Integer, Versioned<ChainConfig>> chains = new TreeMap<>();
  Optional<Versioned<ShardMap>> shardMap = Optional.empty();
  final Map<String, SyncStatus> sync = new TreeMap<>();
  final Set<String> removeRequests = new TreeSet<>();
  boolean rebalanceRequest;

  /** Every (chain, epoch) ever published, with its configuration. */
  final Map<String, ChainConfig> history = new HashMap<>();

  /** The last published configurations, compact, for failure messages. */
  final java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();

  private final String context;

  ReconfigSim(ClusterSettings settings, ReconfigurationPolicy policy, String context) {
    this.settings = settings;
    this.policy = policy;
    this.context = context;
  }

  /**
   * Registers {@code node} anew, as a started process or a new session does: it is live, with an
   * incarnation it never had before.
   */
  void register(String node) {
    live.add(node);
    incarnations.merge(node, node + "#1", (old, x) -> node + "#" + (1 + next(old)));
  }

  private static int next(String incarnation) {
    return Integer.parseInt(incarnation.substring(incarnation.indexOf('#') + 1));
  }

  ClusterSnapshot snapshot() {
    Map<String, NodeInfo> nodes = new TreeMap<>();
    live.forEach(
        n ->
            nodes.put(
                n,
                NodeInfo.newBuilder()
                    .setNodeId(n)
                    .setIncarnation(incarnations.getOrDefault(n, ""))
                    .build()));
    return new ClusterSnapshot(
        settings,
        nodes,
        chains,
        shardMap,
        List.copyOf(sync.values()),
        new PendingRequests(removeRequests, rebalanceRequest));
  }

  /** Runs the policy once and applies the result; returns whether anything changed. */
  boolean step(ClusterEvent event) {
    Reconfiguration r = policy.next(snapshot(), event);
    if (r.isEmpty()) {
      return false;
    }
    r.shardMap()
        .ifPresent(
            m -> {
              assertThat(shardMap).as(context + ": shard map written after bootstrap").isEmpty();
              shardMap = Optional.of(new Versioned<>(m, 0));
            });
    Set<Integer> seen = new HashSet<>();
    for (ChainConfig c : r.chains()) {
      assertThat(seen.add(c.getChainId())).as(context + ": chain twice in one step").isTrue();
      Versioned<ChainConfig> old = chains.get(c.getChainId());
      checkChain(c);
      if (old != null) {
        assertThat(r.shardMap()).as(context + ": no shard move after bootstrap").isEmpty();
        assertThat(c.getEpoch())
            .as(context + ": epoch + 1 on chain " + c.getChainId())
            .isEqualTo(old.value().getEpoch() + 1);
        assertThat(c).as(context + ": unchanged chain returned").isNotEqualTo(old.value());
        assertThat(membershipChanges(old.value(), c))
            .as(context + ": one membership change per step: " + old.value() + " -> " + c)
            .isEqualTo(1);
        checkTailHandOver(old.value(), c);
      }
      ChainConfig earlier = history.put(c.getChainId() + "@" + c.getEpoch(), c);
      assertThat(earlier == null || earlier.equals(c))
          .as(context + ": two configurations for one epoch")
          .isTrue();
      chains.put(c.getChainId(), new Versioned<>(c, old == null ? 0 : old.version() + 1));
      trace.addLast(compact(c));
      if (trace.size() > 60) {
        trace.removeFirst();
      }
    }
    return true;
  }

  /** Steps until nothing changes; fails if that takes more than {@code bound} steps. */
  void coordinate(int bound) {
    for (int i = 0; i < bound; i++) {
      if (!step(new ClusterEvent.Resync())) {
        return;
      }
    }
    throw new AssertionError(context + ": no fixpoint after " + bound + " steps: " + describe());
  }

  /**
   * Settles: coordinates, then reports "caught up" for every SYNCING member whose chain has a live
   * tail (a joiner can catch up only from a live predecessor) and for every live leaving member,
   * until nothing changes.
   */
  void settle(int bound) {
    for (int i = 0; i < bound; i++) {
      coordinate(bound);
      if (!reportCaughtUp()) {
        return;
      }
    }
    throw new AssertionError(
        context + ": did not settle within " + bound + " rounds: " + describe());
  }

  boolean reportCaughtUp() {
    boolean any = false;
    for (Versioned<ChainConfig> v : chains.values()) {
      ChainMembers c = ChainMembers.of(v.value());
      for (String a : c.active()) {
        if (c.leaving(a) && live.contains(a)) {
          any |= report(v.value(), a); // a leaving tail reports the epoch it took up
        }
      }
      if (c.syncing().isEmpty() || !live.contains(c.tail())) {
        continue;
      }
      for (String s : c.syncing()) {
        any |= report(v.value(), s);
      }
    }
    return any;
  }

  /** Writes a caught-up report of {@code node} for the chain's current epoch; false if present. */
  boolean report(ChainConfig chain, String node) {
    SyncStatus s =
        SyncStatus.newBuilder()
            .setChainId(chain.getChainId())
            .setEpoch(chain.getEpoch())
            .setNodeId(node)
            .setCaughtUp(true)
            .build();
    return !s.equals(sync.put(chain.getChainId() + "/" + node, s));
  }

  static String compact(ChainConfig c) {
    ChainMembers m = ChainMembers.of(c);
    return c.getChainId()
        + "@"
        + c.getEpoch()
        + m.active()
        + (m.syncing().isEmpty() ? "" : "+" + m.syncing());
  }

  /** The chains and the recent steps, for failure messages. */
  String describe() {
    StringBuilder b = new StringBuilder("live=" + live + " drain=" + removeRequests + " chains=");
    chains.values().forEach(v -> b.append(compact(v.value())).append(' '));
    return b.append("\nrecent steps: ").append(trace).toString();
  }

  void checkChain(ChainConfig c) {
    List<String> ids = new ArrayList<>();
    boolean sawSyncing = false;
    int active = 0;
    for (ChainMember m : c.getMembersList()) {
      ids.add(m.getNodeId());
      assertThat(m.getState()).isIn(MemberState.ACTIVE, MemberState.SYNCING);
      if (m.getState() == MemberState.SYNCING) {
        sawSyncing = true;
      } else {
        assertThat(sawSyncing).as(context + ": ACTIVE after SYNCING in " + c).isFalse();
        active++;
      }
    }
    assertThat(active).as(context + ": no ACTIVE member in " + c).isGreaterThanOrEqualTo(1);
    assertThat(new HashSet<>(ids)).as(context + ": duplicate member in " + c).hasSize(ids.size());
    // One head and one tail per epoch: the first and the last ACTIVE member, exactly one each.
    ChainMembers cm = ChainMembers.of(c);
    assertThat(cm.active().indexOf(cm.active().get(0))).isZero();
    assertThat(cm.active().lastIndexOf(cm.tail())).isEqualTo(cm.active().size() - 1);
  }

  /**
   * A live ACTIVE member leaves only after it was marked leaving and reported that epoch: otherwise
   * the chain could commit without it while it may still serve reads as the tail of an older epoch.
   */
  private void checkTailHandOver(ChainConfig before, ChainConfig after) {
    ChainMembers x = ChainMembers.of(before);
    ChainMembers y = ChainMembers.of(after);
    for (String m : x.active()) {
      boolean present = live.contains(m) && x.incarnation(m).equals(incarnations.get(m));
      if (y.contains(m) || !present) {
        continue;
      }
      SyncStatus report = sync.get(before.getChainId() + "/" + m);
      assertThat(x.leaving(m) && report != null && report.getEpoch() == before.getEpoch())
          .as(context + ": live member " + m + " removed without hand-over: " + before)
          .isTrue();
    }
  }

  private static int membershipChanges(ChainConfig a, ChainConfig b) {
    ChainMembers x = ChainMembers.of(a);
    ChainMembers y = ChainMembers.of(b);
    Set<String> before = new HashSet<>(x.active());
    before.addAll(x.syncing());
    Set<String> after = new HashSet<>(y.active());
    after.addAll(y.syncing());
    int changes = 0;
    for (String n : before) {
      if (!after.contains(n)) {
        changes++;
      }
    }
    for (String n : after) {
      if (!before.contains(n)) {
        changes++;
      }
    }
    for (String n : y.active()) {
      if (x.syncing().contains(n)) {
        changes++; // promotion
      }
    }
    for (String n : after) {
      if (before.contains(n) && !x.incarnation(n).equals(y.incarnation(n))) {
        changes++; // granted to a new registration
      }
      if (before.contains(n) && x.leaving(n) != y.leaving(n)) {
        changes++; // marked leaving (or no longer)
      }
    }
    // Surviving ACTIVE members keep their relative order (no reorder).
    List<String> kept = new ArrayList<>(x.active());
    kept.retainAll(y.active());
    List<String> keptAfter = new ArrayList<>(y.active());
    keptAfter.retainAll(x.active());
    return kept.equals(keptAfter) ? changes : changes + 100;
  }
}
