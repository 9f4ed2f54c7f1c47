package dev.catena.sharding;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-node role counts of a chain table: how many chains each node heads, tails and belongs to
 * (design §3 and §4a, "role skew").
 *
 * <p>The maps contain every node that appears in the table (and, with {@link #of(List,
 * Collection)}, every extra node given), with 0 where a node has no such role; they are sorted by
 * node id and unmodifiable. A table is <em>balanced</em> when, over those nodes, head counts differ
 * by at most one, tail counts differ by at most one, and membership counts differ by at most one. A
 * rotated table ({@link RotatedChainTable}) is balanced with exactly one head and one tail per
 * node.
 */
public final class RoleBalance {
  private final Map<String, Integer> heads;
  private final Map<String, Integer> tails;
  private final Map<String, Integer> memberships;

  private RoleBalance(
      Map<String, Integer> heads, Map<String, Integer> tails, Map<String, Integer> memberships) {
    this.heads = Collections.unmodifiableMap(heads);
    this.tails = Collections.unmodifiableMap(tails);
    this.memberships = Collections.unmodifiableMap(memberships);
  }

  /** Counts roles over the nodes that appear in {@code table}. */
  public static RoleBalance of(List<ChainSpec> table) {
    return of(table, List.of());
  }

  /**
   * Counts roles over the nodes that appear in {@code table} plus {@code nodes} (which count 0
   * where absent). Use it with the live node set to see that new nodes are still unused.
   */
  public static RoleBalance of(List<ChainSpec> table, Collection<String> nodes) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(nodes, "nodes");
    Map<String, Integer> heads = new TreeMap<>();
    Map<String, Integer> tails = new TreeMap<>();
    Map<String, Integer> memberships = new TreeMap<>();
    for (String n : nodes) {
      Objects.requireNonNull(n, "node id");
      heads.put(n, 0);
      tails.put(n, 0);
      memberships.put(n, 0);
    }
    for (ChainSpec chain : table) {
      for (String m : chain.members()) {
        heads.putIfAbsent(m, 0);
        tails.putIfAbsent(m, 0);
        memberships.merge(m, 1, Integer::sum);
      }
      heads.merge(chain.head(), 1, Integer::sum);
      tails.merge(chain.tail(), 1, Integer::sum);
    }
    return new RoleBalance(heads, tails, memberships);
  }

  /** Number of chains each node heads. */
  public Map<String, Integer> heads() {
    return heads;
  }

  /** Number of chains each node is the tail of. */
  public Map<String, Integer> tails() {
    return tails;
  }

  /** Number of chains each node is a member of (in any position). */
  public Map<String, Integer> memberships() {
    return memberships;
  }

  /** Whether heads, tails and memberships each differ by at most one across the counted nodes. */
  public boolean isBalanced() {
    return spread(heads) <= 1 && spread(tails) <= 1 && spread(memberships) <= 1;
  }

  private static int spread(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return 0;
    }
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int c : counts.values()) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    return max - min;
  }

  @Override
  public String toString() {
    return "RoleBalance{heads=" + heads + ", tails=" + tails + ", memberships=" + memberships + "}";
  }
}
