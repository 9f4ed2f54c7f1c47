package dev.catena.config;

import java.util.Objects;

/**
 * What made the coordinator look at the cluster state again. A policy decides from the snapshot;
 * the event is a hint (and, for operator requests, a trigger).
 */
public sealed interface ClusterEvent
    permits ClusterEvent.LeadershipAcquired,
        ClusterEvent.NodeJoined,
        ClusterEvent.NodeLost,
        ClusterEvent.Resync,
        ClusterEvent.SyncReported,
        ClusterEvent.RemoveNode,
        ClusterEvent.Rebalance {

  /** This coordinator became the active one. */
  record LeadershipAcquired() implements ClusterEvent {}

  /** A node registered (its ephemeral znode appeared or was re-created). */
  record NodeJoined(String nodeId) implements ClusterEvent {
    public NodeJoined {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /** A node's registration vanished: its session expired, so it has already fenced itself. */
  record NodeLost(String nodeId) implements ClusterEvent {
    public NodeLost {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /** The connection to the store came back; events may have been missed. */
  record Resync() implements ClusterEvent {}

  /** A joining member reported progress ({@code sync/<chainId>/<nodeId>} changed). */
  record SyncReported(int chainId, String nodeId) implements ClusterEvent {
    public SyncReported {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /**
   * An operator asked to drain {@code nodeId} out of every chain (replacement first where a spare
   * exists). The drain continues over later steps only while the request is in {@link
   * ClusterSnapshot#requests()}.
   */
  record RemoveNode(String nodeId) implements ClusterEvent {
    public RemoveNode {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /** An operator asked to restore role balance now (DESIGN §3). */
  record Rebalance() implements ClusterEvent {}
}
