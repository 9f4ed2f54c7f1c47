package dev.catena.sharding;

import java.util.Arrays;

/**
 * Minimum-cost flow by successive shortest paths (Bellman-Ford queue variant), used by {@link
 * RebalancePlanner} to choose memberships and roles that keep as much of the current table as
 * possible.
 *
 * <p>Contract: starting from the flow set with {@link #push} (which must be a minimum-cost flow for
 * its value, e.g. a flow that uses only zero-cost edges when all costs are non-negative), {@link
 * #augment} adds flow along cheapest residual paths, so the result is a minimum-cost flow of the
 * largest reachable value up to the limit. Deterministic: edges are scanned in a fixed order.
 * Package-private, not thread-safe.
 */
final class MinCostFlow {
  private final int nodeCount;
  private final int[] firstEdge;
  private int[] to = new int[16];
  private int[] next = new int[16];
  private int[] cap = new int[16];
  private int[] cost = new int[16];
  private int edgeCount;

  MinCostFlow(int nodeCount) {
    this.nodeCount = nodeCount;
    this.firstEdge = new int[nodeCount];
    Arrays.fill(firstEdge, -1);
  }

  /** Adds an edge and its residual twin; returns the edge's index. */
  int addEdge(int from, int target, int capacity, int edgeCost) {
    int e = edgeCount;
    link(from, target, capacity, edgeCost);
    link(target, from, 0, -edgeCost);
    return e;
  }

  private void link(int from, int target, int capacity, int edgeCost) {
    if (edgeCount == to.length) {
      int n = to.length * 2;
      to = Arrays.copyOf(to, n);
      next = Arrays.copyOf(next, n);
      cap = Arrays.copyOf(cap, n);
      cost = Arrays.copyOf(cost, n);
    }
    to[edgeCount] = target;
    cap[edgeCount] = capacity;
    cost[edgeCount] = edgeCost;
    next[edgeCount] = firstEdge[from];
    firstEdge[from] = edgeCount;
    edgeCount++;
  }

  /** Remaining capacity of edge {@code e}. */
  int residual(int e) {
    return cap[e];
  }

  /** Flow currently on edge {@code e} (an index returned by {@link #addEdge}). */
  int flow(int e) {
    return cap[e ^ 1];
  }

  /** Sends {@code amount} units over edge {@code e} (for seeding an initial flow). */
  void push(int e, int amount) {
    if (amount > cap[e]) {
      throw new IllegalStateException("edge " + e + " over capacity");
    }
    cap[e] -= amount;
    cap[e ^ 1] += amount;
  }

  /**
   * Adds up to {@code limit} units of flow from {@code source} to {@code sink}, each along a
   * cheapest residual path; returns the units added.
   */
  int augment(int source, int sink, int limit) {
    return augment(source, sink, limit, Long.MAX_VALUE);
  }

  /**
   * Like {@link #augment(int, int, int)} but stops at the first cheapest path that costs more than
   * {@code maxPathCost}, so the flow stays a minimum-cost flow for its value.
   */
  int augment(int source, int sink, int limit, long maxPathCost) {
    long[] dist = new long[nodeCount];
    int[] via = new int[nodeCount];
    boolean[] queued = new boolean[nodeCount];
    int[] queue = new int[nodeCount + 1];
    int added = 0;
    while (added < limit) {
      Arrays.fill(dist, Long.MAX_VALUE);
      Arrays.fill(via, -1);
      dist[source] = 0;
      int head = 0;
      int tail = 0;
      queue[tail++] = source;
      queued[source] = true;
      long relaxBudget = (long) nodeCount * Math.max(edgeCount, 1) + nodeCount;
      while (head != tail) {
        int u = queue[head];
        head = (head + 1) % queue.length;
        queued[u] = false;
        for (int e = firstEdge[u]; e >= 0; e = next[e]) {
          if (cap[e] > 0 && dist[u] + cost[e] < dist[to[e]]) {
            if (--relaxBudget < 0) {
              throw new IllegalStateException("negative cycle in residual graph");
            }
            dist[to[e]] = dist[u] + cost[e];
            via[to[e]] = e;
            if (!queued[to[e]]) {
              queued[to[e]] = true;
              queue[tail] = to[e];
              tail = (tail + 1) % queue.length;
            }
          }
        }
      }
      if (dist[sink] == Long.MAX_VALUE || dist[sink] > maxPathCost) {
        break;
      }
      int amount = limit - added;
      for (int v = sink; v != source; v = to[via[v] ^ 1]) {
        amount = Math.min(amount, cap[via[v]]);
      }
      for (int v = sink; v != source; v = to[via[v] ^ 1]) {
        push(via[v], amount);
      }
      added += amount;
    }
    return added;
  }
}
