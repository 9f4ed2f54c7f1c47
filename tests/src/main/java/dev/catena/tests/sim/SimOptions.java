package dev.catena.tests.sim;

import java.util.function.UnaryOperator;

/**
 * Settings of one simulation run. Everything not fixed here (number of nodes, replication factor,
 * fault schedule, delays) is drawn from the seed. Times are virtual milliseconds.
 *
 * @param seed the seed; the same seed and options replay the same run exactly
 * @param replicaFactory creates replicas (the real protocol, or a faulty variant in tests)
 * @param minNodes fewest storage nodes (one chain per node, rotation layout)
 * @param maxNodes most storage nodes
 * @param clients concurrent clients (one outstanding op each)
 * @param keysPerChain keys routed to each chain
 * @param workloadMillis how long clients issue new operations
 * @param dropProbability chance that one stream message is dropped (breaking its stream)
 * @param faultEvents crashes, link cuts and coordinator partitions injected per run
 * @param sessionTimeoutMillis ZooKeeper session timeout: the coordinator acts only after it
 * @param leaseMillis node lease (&lt; session timeout): a cut-off node fences itself after it
 * @param maxPending in-flight writes per chain at the head
 * @param coordinator builds the coordinator for a list of nodes and a replication factor
 * @param handshakeRetry whether the node shell closes a successor's stream when the Hello cannot be
 *     handled yet (no replica of the chain, or the message's epoch is newer than the replica's), so
 *     the successor reconnects and repeats the handshake. Without it (as in {@code NodeRuntime}
 *     today) such a Hello is lost for good and the chain stops committing.
 */
public record SimOptions(
    long seed,
    ReplicaDriver.Factory replicaFactory,
    int minNodes,
    int maxNodes,
    int clients,
    int keysPerChain,
    long workloadMillis,
    double dropProbability,
    int faultEvents,
    long sessionTimeoutMillis,
    long leaseMillis,
    int maxPending,
    CoordinatorFactory coordinator,
    boolean handshakeRetry) {

  /** Builds the coordinator of a run. */
  @FunctionalInterface
  public interface CoordinatorFactory {
    SimCoordinator create(java.util.List<String> nodes, int replication);
  }

  /** Validates the options. */
  public SimOptions {
    if (minNodes < 1 || maxNodes < minNodes || clients < 1 || keysPerChain < 1) {
      throw new IllegalArgumentException("bad sizes");
    }
    if (leaseMillis >= sessionTimeoutMillis) {
      throw new IllegalArgumentException("lease must be shorter than the session timeout");
    }
    if (dropProbability < 0 || dropProbability >= 1) {
      throw new IllegalArgumentException("drop probability " + dropProbability);
    }
  }

  /** Defaults for a seed: the real protocol, 3–5 nodes, 4 clients, faults on. */
  public static SimOptions defaults(long seed) {
    return new SimOptions(
        seed,
        ReplicaDriver.realFactory(),
        3,
        5,
        4,
        2,
        1_500,
        0.004,
        4,
        200,
        120,
        64,
        RemovingCoordinator::new,
        false);
  }

  /** Copy with another replica factory. */
  public SimOptions withReplicaFactory(ReplicaDriver.Factory f) {
    return new SimOptions(
        seed,
        f,
        minNodes,
        maxNodes,
        clients,
        keysPerChain,
        workloadMillis,
        dropProbability,
        faultEvents,
        sessionTimeoutMillis,
        leaseMillis,
        maxPending,
        coordinator,
        handshakeRetry);
  }

  /** Copy with another seed. */
  public SimOptions withSeed(long s) {
    return new SimOptions(
        s,
        replicaFactory,
        minNodes,
        maxNodes,
        clients,
        keysPerChain,
        workloadMillis,
        dropProbability,
        faultEvents,
        sessionTimeoutMillis,
        leaseMillis,
        maxPending,
        coordinator,
        handshakeRetry);
  }

  /** Copy with another number of fault events per run. */
  public SimOptions withFaultEvents(int n) {
    return new SimOptions(
        seed,
        replicaFactory,
        minNodes,
        maxNodes,
        clients,
        keysPerChain,
        workloadMillis,
        dropProbability,
        n,
        sessionTimeoutMillis,
        leaseMillis,
        maxPending,
        coordinator,
        handshakeRetry);
  }

  /** Copy with handshake retry switched on or off. */
  public SimOptions withHandshakeRetry(boolean on) {
    return new SimOptions(
        seed,
        replicaFactory,
        minNodes,
        maxNodes,
        clients,
        keysPerChain,
        workloadMillis,
        dropProbability,
        faultEvents,
        sessionTimeoutMillis,
        leaseMillis,
        maxPending,
        coordinator,
        on);
  }

  /** Applies a change (for readable test set-up). */
  public SimOptions with(UnaryOperator<SimOptions> change) {
    return change.apply(this);
  }
}
