package dev.catena.config;

import java.util.Objects;

/** What made the coordinator look at the cluster state again. */
public sealed interface ClusterEvent
    permits ClusterEvent.LeadershipAcquired,
        ClusterEvent.NodeJoined,
        ClusterEvent.NodeLost,
        ClusterEvent.Resync {

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
}
