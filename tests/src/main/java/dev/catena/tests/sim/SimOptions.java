package dev.catena.tests.sim;

import dev.catena.config.ReconfigurationPolicy;
import dev.catena.config.Reconfigurer;
import java.util.function.UnaryOperator;

/**
 * Settings of one simulation run. Everything not fixed here (number of nodes, chain length, which
 * nodes start as spares, fault schedule, delays) is drawn from the seed. Times are virtual
 * milliseconds.
 *
 * @param seed the seed; the same seed and options replay the same run exactly
 * @param replicaFactory creates replicas (the real protocol, or a faulty variant in tests)
 * @param minNodes fewest storage nodes
 * @param maxNodes most storage nodes
 * @param clients concurrent clients (one outstanding op each)
 * @param keysPerChain keys routed to each chain
 * @param workloadMillis how long clients issue new operations
 * @param dropProbability chance that one stream message or snapshot chunk is dropped (breaking its
 *     stream)
 * @param faultEvents crashes, link cuts and coordinator partitions injected per run
 * @param sessionTimeoutMillis ZooKeeper session timeout: the coordinator acts only after it
 * @param leaseMillis node lease (&lt; session timeout): a cut-off node fences itself after it
 * @param maxPending in-flight writes per chain at the head
 * @param policy builds the coordinator policy for the number of nodes to bootstrap with
 * @param handshakeRetry whether the node shell closes a successor's stream when the Hello cannot be
 *     handled yet (no replica of the chain, or the message's epoch is newer than the replica's), so
 *     the successor reconnects and repeats the handshake ({@code NodeRuntime} does the first only)
 * @param installFault a deliberate fault of the simulated store's join path (tests only)
 * @param checkSteps search steps the history check may take ({@link
 *     dev.catena.tests.linearizability.CheckerOptions#deterministic}); deterministic, so a seed
 *     replays to the same verdict on any machine
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
    PolicyFactory policy,
    boolean handshakeRetry,
    SimStorage.InstallFault installFault,
    long checkSteps) {

  /** Builds the coordinator policy of a run. */
  @FunctionalInterface
  public interface PolicyFactory {
    ReconfigurationPolicy create(int bootstrapNodes);
  }

  /** Validates the options. */
  public SimOptions {
    if (minNodes < 2 || maxNodes < minNodes || clients < 1 || keysPerChain < 1) {
      throw new IllegalArgumentException("bad sizes");
    }
    if (leaseMillis >= sessionTimeoutMillis) {
      throw new IllegalArgumentException("lease must be shorter than the session timeout");
    }
    if (dropProbability < 0 || dropProbability >= 1) {
      throw new IllegalArgumentException("drop probability " + dropProbability);
    }
    if (checkSteps < 1) {
      throw new IllegalArgumentException("check steps " + checkSteps);
    }
  }

  /** Defaults for a seed: the real protocol and policy, 4–5 nodes, 4 clients, faults on. */
  public static SimOptions defaults(long seed) {
    return new SimOptions(
        seed,
        ReplicaDriver.realFactory(),
        4,
        5,
        4,
        2,
        1_500,
        0.004,
        4,
        200,
        120,
        64,
        Reconfigurer::new,
        false,
        SimStorage.InstallFault.NONE,
        ChainSimulation.CHECK_STEPS);
  }

  private SimOptions copy(
      long s, ReplicaDriver.Factory f, int faults, boolean retry, SimStorage.InstallFault fault) {
    return copy(s, f, faults, retry, fault, checkSteps);
  }

  private SimOptions copy(
      long s,
      ReplicaDriver.Factory f,
      int faults,
      boolean retry,
      SimStorage.InstallFault fault,
      long steps) {
    return new SimOptions(
        s,
        f,
        minNodes,
        maxNodes,
        clients,
        keysPerChain,
        workloadMillis,
        dropProbability,
        faults,
        sessionTimeoutMillis,
        leaseMillis,
        maxPending,
        policy,
        retry,
        fault,
        steps);
  }

  /** Copy with another replica factory. */
  public SimOptions withReplicaFactory(ReplicaDriver.Factory f) {
    return copy(seed, f, faultEvents, handshakeRetry, installFault);
  }

  /** Copy with another seed. */
  public SimOptions withSeed(long s) {
    return copy(s, replicaFactory, faultEvents, handshakeRetry, installFault);
  }

  /** Copy with another number of fault events per run. */
  public SimOptions withFaultEvents(int n) {
    return copy(seed, replicaFactory, n, handshakeRetry, installFault);
  }

  /** Copy with handshake retry switched on or off. */
  public SimOptions withHandshakeRetry(boolean on) {
    return copy(seed, replicaFactory, faultEvents, on, installFault);
  }

  /** Copy with a fault in the simulated store's join path. */
  public SimOptions withInstallFault(SimStorage.InstallFault fault) {
    return copy(seed, replicaFactory, faultEvents, handshakeRetry, fault);
  }

  /** Copy with another search step budget for the history check. */
  public SimOptions withCheckSteps(long steps) {
    return copy(seed, replicaFactory, faultEvents, handshakeRetry, installFault, steps);
  }

  /** Applies a change (for readable test set-up). */
  public SimOptions with(UnaryOperator<SimOptions> change) {
    return change.apply(this);
  }
}
