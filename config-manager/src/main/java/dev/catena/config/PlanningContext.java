package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SyncStatus;
import dev.catena.sharding.ChainSpec;
import dev.catena.sharding.RoleBalance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The working state of one {@link Reconfigurer} step: the snapshot's chains split into ACTIVE and
 * SYNCING members, the live, draining and eligible (live, not draining) nodes, membership and tail
 * counts that are updated as joiners are chosen, and the role targets (computed once, lazily).
 * Package-private; pure.
 */
final class PlanningContext {
  final ClusterSnapshot state;
  final int chainLength;
  final Set<String> live;
  final Set<String> draining;
  final Set<String> eligible;
  final Map<Integer, ChainMembers> chains = new TreeMap<>();
  private final Map<String, Integer> memberships = new HashMap<>();
  private final Map<String, Integer> tails = new HashMap<>();
  private Map<Integer, List<String>> targets;

  PlanningContext(ClusterSnapshot state, Set<String> draining) {
    this.state = state;
    this.chainLength = state.settings().getChainLength();
    this.live = new TreeSet<>(state.nodes().keySet());
    this.draining = new TreeSet<>(draining);
    this.eligible = new TreeSet<>(live);
    this.eligible.removeAll(draining);
    List<ChainSpec> withJoiners = new ArrayList<>();
    state
        .chains()
        .values()
        .forEach(
            v -> {
              ChainMembers c = ChainMembers.of(v.value());
              chains.put(c.chainId(), c);
              List<String> all = new ArrayList<>(c.active());
              all.addAll(c.syncing());
              if (!all.isEmpty()) {
                withJoiners.add(new ChainSpec(c.chainId(), all));
              }
            });
    RoleBalance balance = RoleBalance.of(withJoiners, eligible);
    memberships.putAll(balance.memberships());
    // Tails of ACTIVE members only: a joiner is not a tail yet.
    chains.values().stream()
        .filter(c -> !c.active().isEmpty())
        .forEach(c -> tails.merge(c.tail(), 1, Integer::sum));
  }

  /** The target length of a healthy chain: the chain length, or fewer if fewer nodes may serve. */
  int healthyLength() {
    return Math.min(chainLength, eligible.size());
  }

  /**
   * True if {@code node}'s membership in {@code chain} is held by a live registration: the node is
   * registered with the incarnation the membership was granted to. A member whose node is gone or
   * re-registered (restart, session expiry) is lost: its new life must rejoin as SYNCING.
   */
  boolean present(ChainMembers chain, String node) {
    NodeInfo info = state.nodes().get(node);
    return info != null && info.getIncarnation().equals(chain.incarnation(node));
  }

  /** The incarnation of {@code node}'s live registration ("" if it is not registered). */
  String incarnationOf(String node) {
    NodeInfo info = state.nodes().get(node);
    return info == null ? "" : info.getIncarnation();
  }

  /** A caught-up report of {@code node} for {@code chain}'s current epoch. */
  boolean caughtUp(ChainMembers chain, String node) {
    Optional<SyncStatus> s = state.syncStatus(chain.chainId(), node);
    return s.isPresent()
        && s.get().getCaughtUp()
        && s.get().getEpoch() == chain.config().getEpoch();
  }

  /**
   * The eligible node outside {@code chain} and outside {@code exclude} that holds the fewest
   * memberships (then fewest tails, then smallest id), if any.
   */
  Optional<String> pickSpare(ChainMembers chain, Set<String> exclude) {
    return eligible.stream()
        .filter(n -> !chain.contains(n) && !exclude.contains(n))
        .min(
            Comparator.<String>comparingInt(n -> memberships.getOrDefault(n, 0))
                .thenComparingInt(n -> tails.getOrDefault(n, 0))
                .thenComparing(Comparator.naturalOrder()));
  }

  /** Records that {@code node} joined a chain in this step. */
  ChainConfig joined(ChainMembers chain, String node) {
    memberships.merge(node, 1, Integer::sum);
    return chain.withJoiner(node, incarnationOf(node));
  }

  /**
   * The step that takes {@code node} out of {@code chain}, recording that it left. A live ACTIVE
   * member (of a chain with other ACTIVE members) leaves in two steps: first it is marked leaving
   * (it stops serving reads), and only once it has reported that epoch, or its registration is
   * gone, is it removed. Without the report, the chain could commit without it while it still
   * believes itself the tail of an earlier epoch (a tail just replaced by a promoted joiner may not
   * have learned it yet) and serves reads there. Empty while the report is awaited.
   */
  Optional<ChainConfig> left(ChainMembers chain, String node) {
    boolean live =
        chain.active().size() > 1 && chain.active().contains(node) && present(chain, node);
    if (live && !chain.leaving(node)) {
      return Optional.of(chain.markedLeaving(node, true));
    }
    if (live && !caughtUp(chain, node)) {
      return Optional.empty();
    }
    memberships.merge(node, -1, Integer::sum);
    return Optional.of(chain.without(node));
  }

  /** Role targets over the eligible nodes (see {@link RoleTargets}), computed once. */
  Map<Integer, List<String>> targets() {
    if (targets == null) {
      targets = RoleTargets.compute(chains.keySet(), eligible, chainLength);
    }
    return targets;
  }
}
