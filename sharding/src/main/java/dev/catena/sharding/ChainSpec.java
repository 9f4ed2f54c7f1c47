package dev.catena.sharding;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One chain of a chain table: its id and its members in chain order.
 *
 * <p>Positions mean roles: {@code members.get(0)} is the head (accepts writes), the last member is
 * the tail (commits, serves reads), the others are middles in forwarding order. A chain with one
 * member is its own head and tail.
 *
 * <p>Invariants, checked on construction: {@code chainId >= 0}; {@code members} is non-empty, has
 * no null or empty node id and no duplicates. The list is an immutable copy.
 *
 * @param chainId non-negative chain id, unique in a table
 * @param members node ids, head first, tail last
 */
public record ChainSpec(int chainId, List<String> members) {
  /**
   * Validates and copies.
   *
   * @throws InvalidPlacementException if an invariant is violated
   */
  public ChainSpec {
    if (chainId < 0) {
      throw new InvalidPlacementException("chainId must be >= 0, got " + chainId);
    }
    Objects.requireNonNull(members, "members");
    if (members.isEmpty()) {
      throw new InvalidPlacementException("chain " + chainId + " has no members");
    }
    Set<String> seen = new HashSet<>();
    for (String m : members) {
      if (m == null || m.isEmpty()) {
        throw new InvalidPlacementException("chain " + chainId + " has a null or empty node id");
      }
      if (!seen.add(m)) {
        throw new InvalidPlacementException("chain " + chainId + " lists node " + m + " twice");
      }
    }
    members = List.copyOf(members);
  }

  /** The head (first member). */
  public String head() {
    return members.get(0);
  }

  /** The tail (last member). */
  public String tail() {
    return members.get(members.size() - 1);
  }

  /** The number of members. */
  public int length() {
    return members.size();
  }
}
