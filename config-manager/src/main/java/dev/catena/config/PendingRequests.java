package dev.catena.config;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Operator requests waiting in the store (see {@link ClusterStateStore#requestRemoveNode} and
 * {@link ClusterStateStore#requestRebalance}).
 *
 * @param removeNodes nodes to drain: moved out of every chain and never chosen as a joiner while
 *     the request exists; sorted, unmodifiable
 * @param rebalance whether a role restore was requested
 */
public record PendingRequests(Set<String> removeNodes, boolean rebalance) {
  /** No request pending. */
  public static final PendingRequests NONE = new PendingRequests(Set.of(), false);

  public PendingRequests {
    Objects.requireNonNull(removeNodes, "removeNodes");
    removeNodes = Collections.unmodifiableSet(new TreeSet<>(removeNodes));
  }
}
