package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainReplica;
import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.ReplicaStatus;
import java.util.List;

/**
 * What the simulation drives for one replica of one chain: by default the real {@link ChainReplica}
 * ({@link #real}). Tests substitute deliberately faulty wrappers to show that the simulation
 * detects each kind of fault.
 */
public interface ReplicaDriver {
  /** Handles one event; see {@link ChainReplica#handle(Event)}. */
  List<Effect> handle(Event event);

  /** The replica's counters. */
  ReplicaStatus status();

  /** The replica's current view. */
  ChainView view();

  /** Creates replicas; called at configuration time and after every restart. */
  @FunctionalInterface
  interface Factory {
    ReplicaDriver create(String nodeId, int chainId, RecoveredState recovered, int maxPending);
  }

  /** The real protocol. */
  static ReplicaDriver real(ChainReplica r) {
    return new ReplicaDriver() {
      @Override
      public List<Effect> handle(Event event) {
        return r.handle(event);
      }

      @Override
      public ReplicaStatus status() {
        return r.status();
      }

      @Override
      public ChainView view() {
        return r.view();
      }
    };
  }

  /** A factory of real replicas. */
  static Factory realFactory() {
    return (node, chain, rec, max) -> real(new ChainReplica(node, chain, rec, max));
  }
}
