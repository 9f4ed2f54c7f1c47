package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The coordinator's reconfiguration policy (DESIGN §3, §4 "Reconfiguration", §6): failure repair,
 * joins through SYNCING, promotion, drains and role restore. Pure: no I/O, threads or clocks; the
 * result depends only on the snapshot and the event. Before the cluster is bootstrapped it
 * delegates to {@link BootstrapPolicy}.
 *
 * <p><b>One step.</b> Each call returns the next configuration of only the chains that change, each
 * with exactly one membership change and its epoch + 1. The coordinator publishes the step and
 * calls again until nothing changes, so multi-step work (remove a lost node, then add a joiner,
 * then promote it) is a sequence of calls. The decision is taken from the state alone (level
 * triggered): a standby coordinator that takes over half-way continues where the old one stopped.
 *
 * <p><b>Priorities.</b> (1) Repairs, on every chain at once: drop a lost member (its ephemeral
 * registration vanished, i.e. its session expired, DESIGN §6), SYNCING members first; promote a
 * SYNCING member whose {@code SyncStatus} says caught up <em>for the chain's current epoch</em> to
 * ACTIVE tail; while a member is SYNCING the chain waits (one joiner per chain at a time); remove
 * the surplus member of a chain longer than the chain length; add a joiner to a chain shorter than
 * the chain length. (2) Drains ({@link ClusterEvent.RemoveNode} or a pending remove request), one
 * chain at a time: a replacement joins first where a spare exists, is promoted, and then the
 * drained node is the surplus member that leaves; without a spare the node is removed directly. (3)
 * Role restore, one chain at a time, only when every chain is healthy (full length, all members
 * live and not drained, nobody SYNCING), see below.
 *
 * <p><b>Lost members.</b> A membership is granted to one registration of a node (the {@code
 * incarnation} of its {@code NodeInfo}, recorded in the {@code ChainMember}); it is lost when that
 * registration is: the node's ephemeral znode vanished (session expiry, DESIGN §6), or the node
 * registered again with another incarnation (a restarted process, or a new session after expiry,
 * possibly before this coordinator saw the old one vanish). A new life of a node never inherits the
 * old one's place: it rejoins as SYNCING, because it may lack writes the old life forwarded or
 * acknowledged. Head lost: its successor becomes head; tail lost: its predecessor becomes tail;
 * middle lost: predecessor and successor become neighbours (they handshake on the new epoch). The
 * last ACTIVE member of a chain is never removed: a chain whose only ACTIVE member died keeps it
 * listed, gets no joiner and stays unavailable until that node returns, when the membership is
 * granted to its new registration (its data is the only copy there is).
 *
 * <p><b>Joiners.</b> A joiner is a live, not drained node outside the chain holding the fewest
 * memberships (then fewest tails, then smallest id); a node that re-registered after a restart is a
 * spare like any other and resyncs only the buckets of keys that differ.
 *
 * <p><b>A live member leaves in two steps.</b> Removing an ACTIVE member that is alive could let
 * the chain commit without it while it still believes itself the tail of an older epoch — it may be
 * the tail, or a tail just replaced by a promoted joiner that has not learned it yet — and serves
 * reads there to clients whose view lags: stale reads. So a drain, a surplus removal or a
 * role-restore step that takes out a live ACTIVE member first marks it {@code leaving} (same
 * members, epoch + 1: it stops serving reads and reports the epoch like a joiner), and removes it
 * once that report for the current epoch arrives or its registration is gone; the chain takes no
 * other step meanwhile. A lost member is removed at once: its lease lapsed before its session did.
 *
 * <p><b>Role restore without reorders.</b> In chain replication a later member holds a prefix of an
 * earlier member's history (DESIGN §4 invariant 1). Reordering live members swaps who is ahead: a
 * node moved towards the head may lack writes its new successors already hold, and a node moved
 * towards the tail may hold writes not yet committed that it would then serve as committed. Such a
 * reorder is safe only on a quiescent chain, which a policy without I/O cannot know. So role
 * restore uses only the two operations that are always safe: <em>join at the tail</em> (SYNCING,
 * snapshot + forwarding, promotion: the normal join path) and <em>remove a member</em> (handled
 * like a failure). The target order of each chain is the rotated table over the eligible nodes
 * ({@link RoleTargets}, which also explains why it does not follow the sharding planner's
 * current-holder preferences); members in the longest prefix of the target that already appears in
 * order stay, the next target member joins at the tail, and a member that is in the way leaves once
 * the chain is over length again. When the next target member is already in the chain at the wrong
 * place, a spare joins first as a temporary extra replica so the chain never drops below its
 * length; only when every node is already in the chain is the misplaced member removed first and
 * re-added. Every two rounds the kept prefix grows, so a chain reaches its target in at most {@code
 * 2R} rounds while the node set is unchanged. This costs data copies (a member that rejoins resyncs
 * only what differs), in exchange for never relying on a reorder.
 *
 * <p><b>Chain count and shards.</b> The chain count is fixed at bootstrap and this policy never
 * writes the shard map: moving shards between chains needs data migration, which does not exist
 * yet. Adding chains for new nodes is future work; new nodes serve as members of existing chains.
 */
public final class Reconfigurer implements ReconfigurationPolicy {
  private final BootstrapPolicy bootstrap;
  private final boolean autoRebalance;

  /** A policy that restores role balance automatically whenever the cluster is healthy. */
  public Reconfigurer(int expectedNodes) {
    this(expectedNodes, true);
  }

  /**
   * @param expectedNodes nodes to wait for before bootstrapping (see {@link BootstrapPolicy})
   * @param autoRebalance whether role restore runs whenever the cluster is healthy; if false it
   *     runs only on a {@link ClusterEvent.Rebalance} event or while a rebalance request is pending
   * @throws InvalidConfigException if {@code expectedNodes < 1}
   */
  public Reconfigurer(int expectedNodes, boolean autoRebalance) {
    this.bootstrap = new BootstrapPolicy(expectedNodes);
    this.autoRebalance = autoRebalance;
  }

  @Override
  public Reconfiguration next(ClusterSnapshot state, ClusterEvent event) {
    if (!state.isBootstrapped()) {
      return bootstrap.next(state, event);
    }
    Set<String> draining = new HashSet<>(state.requests().removeNodes());
    if (event instanceof ClusterEvent.RemoveNode r) {
      draining.add(r.nodeId());
    }
    PlanningContext ctx = new PlanningContext(state, draining);
    List<ChainConfig> repairs = new ArrayList<>();
    for (ChainMembers chain : ctx.chains.values()) {
      repair(ctx, chain).ifPresent(repairs::add);
    }
    if (!repairs.isEmpty()) {
      return of(repairs);
    }
    Optional<ChainConfig> drain = drain(ctx);
    if (drain.isPresent()) {
      return of(List.of(drain.get()));
    }
    boolean rebalance =
        autoRebalance || state.requests().rebalance() || event instanceof ClusterEvent.Rebalance;
    return rebalance ? restoreRoles(ctx).map(c -> of(List.of(c))).orElse(none()) : none();
  }

  /**
   * Settled: nobody is SYNCING and no step would be taken even with a rebalance requested (so a
   * pending rebalance request is done).
   */
  @Override
  public boolean isSettled(ClusterSnapshot state) {
    boolean syncing =
        state.chains().values().stream()
            .anyMatch(v -> !ChainMembers.of(v.value()).syncing().isEmpty());
    return !syncing && next(state, new ClusterEvent.Rebalance()).isEmpty();
  }

  private static Optional<ChainConfig> repair(PlanningContext ctx, ChainMembers chain) {
    for (String m : chain.syncing()) {
      if (!ctx.present(chain, m)) {
        return ctx.left(chain, m);
      }
    }
    boolean activeLost = false;
    for (String m : chain.active()) {
      if (!ctx.present(chain, m)) {
        if (chain.active().size() > 1) {
          return ctx.left(chain, m);
        }
        if (ctx.live.contains(m)) {
          // The last ACTIVE member came back under a new registration: its data is the only copy.
          return Optional.of(chain.regranted(m, ctx.incarnationOf(m)));
        }
        activeLost = true; // the last ACTIVE member: kept, see the class Javadoc
      }
    }
    for (String m : chain.active()) {
      if (chain.leaving(m) && chain.active().size() == 1) {
        return Optional.of(chain.markedLeaving(m, false)); // the others were lost: it stays
      } else if (chain.leaving(m)) {
        return ctx.left(chain, m); // removed once it reported the epoch; the chain waits till then
      }
    }
    for (String m : chain.syncing()) {
      if (ctx.caughtUp(chain, m)) {
        return Optional.of(chain.promoted(m));
      }
    }
    if (activeLost || !chain.syncing().isEmpty()) {
      return Optional.empty();
    }
    if (chain.active().size() > ctx.chainLength) {
      return ctx.left(chain, surplus(ctx, chain));
    }
    if (chain.active().size() < ctx.chainLength) {
      return ctx.pickSpare(chain, Set.of()).map(n -> ctx.joined(chain, n));
    }
    return Optional.empty();
  }

  /**
   * The member to remove from a chain longer than the chain length: a drained member; else the
   * member that is in the way of the chain's role target (see the class Javadoc); never the tail
   * that just joined unless the target does not want it.
   */
  private static String surplus(PlanningContext ctx, ChainMembers chain) {
    List<String> active = chain.active();
    String tail = chain.tail();
    List<String> others = active.subList(0, active.size() - 1);
    for (String m : others) {
      if (ctx.draining.contains(m)) {
        return m;
      }
    }
    List<String> target = ctx.targets().getOrDefault(chain.chainId(), others);
    int k = RoleTargets.keptPrefix(active, target);
    Set<String> kept = RoleTargets.kept(active, target);
    if (k < target.size()) {
      String next = target.get(k);
      if (others.contains(next) && !kept.contains(next)) {
        return next; // misplaced: it leaves now and rejoins at the tail later
      }
    }
    for (String m : others) {
      if (!kept.contains(m) && !target.contains(m)) {
        return m;
      }
    }
    for (String m : others) {
      if (!kept.contains(m)) {
        return m;
      }
    }
    return tail;
  }

  /** One drain step on the first chain (by id) that holds a drained member and can progress. */
  private static Optional<ChainConfig> drain(PlanningContext ctx) {
    for (ChainMembers chain : ctx.chains.values()) {
      for (String m : chain.syncing()) {
        if (ctx.draining.contains(m)) {
          return ctx.left(chain, m);
        }
      }
      Optional<String> drained = chain.active().stream().filter(ctx.draining::contains).findFirst();
      if (drained.isEmpty()) {
        continue;
      }
      if (!chain.syncing().isEmpty() || chain.anyLeaving()) {
        return Optional.empty(); // its replacement is still catching up, or a tail is leaving
      }
      Optional<String> spare = ctx.pickSpare(chain, Set.of());
      if (spare.isPresent()) {
        return Optional.of(ctx.joined(chain, spare.get()));
      }
      if (chain.active().size() > 1) {
        return ctx.left(chain, drained.get());
      }
      // The drained node is this chain's only member and nobody can replace it: try the next.
    }
    return Optional.empty();
  }

  /** One safe step towards the role target of the first chain (by id) that differs from it. */
  private static Optional<ChainConfig> restoreRoles(PlanningContext ctx) {
    int length = ctx.healthyLength();
    for (ChainMembers c : ctx.chains.values()) {
      boolean healthy =
          c.syncing().isEmpty()
              && !c.anyLeaving()
              && c.active().size() == length
              && ctx.eligible.containsAll(c.active());
      if (!healthy) {
        return Optional.empty();
      }
    }
    for (ChainMembers chain : ctx.chains.values()) {
      List<String> target = ctx.targets().get(chain.chainId());
      if (target == null || target.equals(chain.active())) {
        continue;
      }
      Optional<ChainConfig> step = towards(ctx, chain, target);
      if (step.isPresent()) {
        return step;
      }
    }
    return Optional.empty();
  }

  private static Optional<ChainConfig> towards(
      PlanningContext ctx, ChainMembers chain, List<String> target) {
    List<String> active = chain.active();
    String next = target.get(RoleTargets.keptPrefix(active, target));
    if (!active.contains(next)) {
      return Optional.of(ctx.joined(chain, next));
    }
    // The next target member is already here, before the kept prefix ends: it must leave and
    // rejoin at the tail. A temporary extra replica joins first so the chain keeps its length.
    Set<String> inTarget = new HashSet<>(target);
    Optional<String> helper = ctx.pickSpare(chain, inTarget);
    if (helper.isPresent()) {
      return Optional.of(ctx.joined(chain, helper.get()));
    }
    Optional<String> later = target.stream().filter(n -> !active.contains(n)).findFirst();
    if (later.isPresent()) {
      return Optional.of(ctx.joined(chain, later.get()));
    }
    if (active.size() > 1) {
      return ctx.left(chain, next); // every node is in this chain: no helper exists
    }
    return Optional.empty();
  }

  private static Reconfiguration of(List<ChainConfig> chains) {
    return new Reconfiguration(chains, Optional.empty());
  }

  private static Reconfiguration none() {
    return Reconfiguration.none();
  }
}
