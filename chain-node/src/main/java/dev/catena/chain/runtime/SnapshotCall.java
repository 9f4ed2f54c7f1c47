package dev.catena.chain.runtime;

/**
 * A successor's request for a snapshot of a chain ({@link NodeRuntime#submitSnapshot}), granted
 * once everything this node had received is durable.
 */
public non-sealed interface SnapshotCall extends ClientCall {
  /**
   * Local storage now holds everything the node had received when the request arrived: open the
   * snapshot ({@link ReplicaStore#openSnapshot}) before returning, on the event-loop thread.
   */
  void grant();
}
