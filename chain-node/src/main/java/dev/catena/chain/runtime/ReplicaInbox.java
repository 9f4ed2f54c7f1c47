package dev.catena.chain.runtime;

import dev.catena.chain.protocol.Event;

/** Where the runtime's helpers hand events for a chain's replica; called on the event loop. */
@FunctionalInterface
interface ReplicaInbox {
  void deliver(int chainId, Event event);
}
