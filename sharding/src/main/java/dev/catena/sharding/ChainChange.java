package dev.catena.sharding;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One step of a rebalance plan ({@link RebalancePlanner}). The coordinator applies the steps of a
 * plan one at a time, each as its own chain reconfiguration (epoch + 1), in plan order.
 *
 * <p><b>Positions.</b> In a {@link ChainSpec} position is role: index 0 is the head, the last index
 * the tail. {@link RebalancePlanner#apply} gives each step the table it <em>ends</em> in:
 *
 * <ul>
 *   <li>{@link ReplaceMember}: {@code newNode} ends at {@code oldNode}'s index. The coordinator
 *       realises it as design §4 "add a tail": {@code newNode} joins as SYNCING after the current
 *       tail, receives a snapshot plus the forwarded writes, and once caught up one reconfiguration
 *       drops {@code oldNode} and puts {@code newNode} at that index (a dead {@code oldNode} is
 *       dropped first; the chain runs one member short meanwhile).
 *   <li>{@link AddMember}: {@code node} joins as SYNCING after the tail and, once caught up,
 *       becomes the tail (appended at the end).
 *   <li>{@link RemoveMember}: {@code node} leaves; later members move up one index.
 *   <li>{@link Reorder}: the same members in a new order, i.e. a role swap.
 * </ul>
 *
 * <p><b>Cost model.</b> A step that {@linkplain #copiesData() copies data} streams a full replica
 * of the chain's shards to one node: {@link ReplaceMember} and {@link AddMember}. {@link Reorder}
 * and {@link RemoveMember} copy no bulk data (every member already holds the committed state; the
 * epoch handshake reconciles only the in-flight suffix). {@link AddChain} and {@link RemoveChain}
 * copy no replica themselves, but shards move between chains afterwards (see {@link
 * ShardAssignment#rebalance}), which costs one shard's data per moved shard.
 */
public sealed interface ChainChange {

  /** The chain this step reconfigures (for {@link AddChain}, the new chain's id). */
  int chainId();

  /** Whether this step streams a full replica of the chain's data to a node (expensive). */
  boolean copiesData();

  /**
   * {@code newNode} replaces {@code oldNode} and ends at {@code oldNode}'s position (see the
   * interface Javadoc for how the coordinator performs it). Copies data.
   */
  record ReplaceMember(int chainId, String oldNode, String newNode) implements ChainChange {
    /** Validates: node ids non-null and different. */
    public ReplaceMember {
      Objects.requireNonNull(oldNode, "oldNode");
      Objects.requireNonNull(newNode, "newNode");
      if (oldNode.equals(newNode)) {
        throw new InvalidChainChangeException("ReplaceMember with itself: " + oldNode);
      }
    }

    @Override
    public boolean copiesData() {
      return true;
    }
  }

  /** The same members in a new order: a role swap, no data copy. */
  record Reorder(int chainId, List<String> newMembers) implements ChainChange {
    /** Validates and copies: non-empty, no duplicates. */
    public Reorder {
      newMembers = List.copyOf(newMembers);
      if (newMembers.isEmpty() || new HashSet<>(newMembers).size() != newMembers.size()) {
        throw new InvalidChainChangeException("Reorder needs distinct members: " + newMembers);
      }
    }

    @Override
    public boolean copiesData() {
      return false;
    }
  }

  /**
   * A new chain with its final members. It holds no shards yet: the coordinator then moves shards
   * to it with {@link ShardAssignment#rebalance}.
   */
  record AddChain(ChainSpec chain) implements ChainChange {
    /** Validates: non-null. */
    public AddChain {
      Objects.requireNonNull(chain, "chain");
    }

    @Override
    public int chainId() {
      return chain.chainId();
    }

    @Override
    public boolean copiesData() {
      return false;
    }
  }

  /**
   * Removes a chain. Before it is deleted the coordinator moves its shards to the remaining chains
   * with {@link ShardAssignment#rebalance}; only then does the chain stop serving.
   */
  record RemoveChain(int chainId) implements ChainChange {
    @Override
    public boolean copiesData() {
      return false;
    }
  }

  /**
   * {@code node} is appended as the new tail of a chain that is shorter than its target length
   * (after failures removed members without replacement). Copies data.
   */
  record AddMember(int chainId, String node) implements ChainChange {
    /** Validates: non-null. */
    public AddMember {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public boolean copiesData() {
      return true;
    }
  }

  /** {@code node} leaves a chain that is longer than its target length. No data copy. */
  record RemoveMember(int chainId, String node) implements ChainChange {
    /** Validates: non-null. */
    public RemoveMember {
      Objects.requireNonNull(node, "node");
    }

    @Override
    public boolean copiesData() {
      return false;
    }
  }
}
