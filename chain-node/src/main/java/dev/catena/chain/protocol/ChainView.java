package dev.catena.chain.protocol;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One epoch of a chain's membership as seen by the protocol: ACTIVE members head first, then
 * SYNCING members (joining after the tail). Immutable.
 *
 * @param chainId the chain
 * @param epoch strictly increases on every membership change
 * @param active ACTIVE members, head first; the last one is the tail
 * @param syncing SYNCING members in join order; they follow the tail and serve nothing
 * @param leaving members about to be removed; a leaving tail still commits but serves no read
 */
public record ChainView(
    int chainId, long epoch, List<String> active, List<String> syncing, Set<String> leaving) {

  /** A view without leaving members. */
  public ChainView(int chainId, long epoch, List<String> active, List<String> syncing) {
    this(chainId, epoch, active, syncing, Set.of());
  }

  /** Validates and copies the member lists. */
  public ChainView {
    active = List.copyOf(active);
    syncing = List.copyOf(syncing);
    leaving = Set.copyOf(leaving);
    if (epoch < 0) {
      throw new IllegalArgumentException("negative epoch " + epoch);
    }
    var all = new HashSet<String>();
    for (String n : order(active, syncing)) {
      if (!all.add(Objects.requireNonNull(n))) {
        throw new IllegalArgumentException("duplicate member " + n + " in chain " + chainId);
      }
    }
  }

  /** A view with only ACTIVE members. */
  public static ChainView of(int chainId, long epoch, List<String> active) {
    return new ChainView(chainId, epoch, active, List.of());
  }

  /**
   * The protocol's view of a stored chain configuration: ACTIVE members in stored order (head
   * first), SYNCING members in stored order after them, and the members marked leaving.
   * Incarnations are not part of the view; the runtime filters memberships by incarnation before
   * this mapping.
   */
  public static ChainView fromConfig(ChainConfig c) {
    var active = new ArrayList<String>();
    var syncing = new ArrayList<String>();
    var leaving = new HashSet<String>();
    for (ChainMember m : c.getMembersList()) {
      (m.getState() == MemberState.SYNCING ? syncing : active).add(m.getNodeId());
      if (m.getLeaving()) {
        leaving.add(m.getNodeId());
      }
    }
    return new ChainView(c.getChainId(), c.getEpoch(), active, syncing, leaving);
  }

  private static List<String> order(List<String> a, List<String> b) {
    var l = new ArrayList<String>(a);
    l.addAll(b);
    return l;
  }

  /** All members in chain order: ACTIVE then SYNCING. */
  public List<String> members() {
    return order(active, syncing);
  }

  /** The head, if the chain has an ACTIVE member. */
  public Optional<String> head() {
    return active.isEmpty() ? Optional.empty() : Optional.of(active.get(0));
  }

  /** The tail (last ACTIVE member), if any. */
  public Optional<String> tail() {
    return active.isEmpty() ? Optional.empty() : Optional.of(active.get(active.size() - 1));
  }

  /** The member before {@code node} in chain order, if any. */
  public Optional<String> predecessor(String node) {
    List<String> m = members();
    int i = m.indexOf(node);
    return i <= 0 ? Optional.empty() : Optional.of(m.get(i - 1));
  }

  /** The member after {@code node} in chain order (SYNCING members included), if any. */
  public Optional<String> successor(String node) {
    List<String> m = members();
    int i = m.indexOf(node);
    return i < 0 || i == m.size() - 1 ? Optional.empty() : Optional.of(m.get(i + 1));
  }

  /** True if {@code node} is the tail and serves reads (it is not leaving). */
  public boolean servesReads(String node) {
    return roleOf(node).isTail() && !leaving.contains(node);
  }

  /** The role {@code node} plays in this view. */
  public Role roleOf(String node) {
    if (syncing.contains(node)) {
      return Role.SYNCING;
    }
    int i = active.indexOf(node);
    if (i < 0) {
      return Role.NOT_MEMBER;
    }
    boolean head = i == 0;
    boolean tail = i == active.size() - 1;
    if (head && tail) {
      return Role.SOLE;
    }
    return head ? Role.HEAD : tail ? Role.TAIL : Role.MIDDLE;
  }
}
