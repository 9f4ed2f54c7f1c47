package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainReplica;
import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.config.Coordinator;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.tests.history.History;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import dev.catena.tests.linearizability.CheckResult;
import dev.catena.tests.linearizability.CheckerOptions;
import dev.catena.tests.linearizability.LinearizabilityChecker;
import dev.catena.tests.linearizability.LostWrite;
import dev.catena.tests.linearizability.LostWriteDetector;
import dev.catena.tests.linearizability.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deterministic simulation (in the style of Kafka's {@code RaftEventSimulationTest} and
 * TigerBeetle's VOPR) of several chains of the real {@link ChainReplica}, with simulated clock,
 * network ({@link SimNetwork}), storage ({@link SimStorage}), joins ({@link SimJoins}), ZooKeeper
 * ({@link SimZooKeeper}, {@link SimFaults}), the real coordinator ({@link Coordinator} with its
 * policy, on {@link SimCoordinatorWorker}) and clients ({@link SimClient}). All randomness comes
 * from one {@code SplittableRandom(seed)}: the same options replay the same run, step for step.
 *
 * <p>Phases: (0) the first nodes register and the policy bootstraps the rotated chain table over
 * them; the others are spares that register during the workload; (1) workload under faults; (2)
 * heal — no new faults, every crashed node restarts, clients finish; (3) every chain must reach
 * full length with only ACTIVE members; (4) liveness probe — one write per chain must commit, and
 * every ACTIVE member of every chain must then hold the same history with nothing pending; (5) a
 * final read of every key. Invariants are checked after every step ({@link SimInvariants}); at the
 * end the history is checked for linearizability (UNKNOWN counts as failure) and for lost
 * acknowledged writes.
 */
public final class ChainSimulation {
  private static final long MAX_STEPS = 3_000_000;

  /**
   * Default search steps the history check of one run may take ({@link SimOptions#checkSteps()}; a
   * budget that runs out fails the run as {@link Violation#CHECK_UNKNOWN}). A step budget, not wall
   * time, so a seed replays to the same verdict on any machine at any load.
   */
  static final long CHECK_STEPS = 20_000_000;

  private final SimOptions options;
  private final SimWorld world;
  private int replication;

  /** A simulation with the given options (nothing runs until {@link #run()}). */
  public ChainSimulation(SimOptions options) {
    this.options = options;
    this.world = new SimWorld(options);
  }

  /** Runs the simulation; throws {@link SimulationFailure} on any violation. */
  public SimResult run() {
    try {
      return runChecked();
    } catch (InvariantViolation e) {
      throw failure(e.violation(), e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw failure(Violation.CRASH, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private SimulationFailure failure(Violation violation, String reason) {
    String file = System.getProperty("catena.sim.traceFile");
    if (file != null) {
      try {
        java.nio.file.Files.write(java.nio.file.Path.of(file), world.trace.recent());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write trace to " + file, e);
      }
    }
    return new SimulationFailure(
        options.seed(),
        violation,
        world.scheduler.steps(),
        world.clock.nanos(),
        reason,
        world
            .trace
            .recent()
            .subList(Math.max(0, world.trace.recent().size() - 60), world.trace.recent().size()),
        world.trace.hash());
  }

  private SimResult runChecked() {
    int n = options.minNodes() + world.random.nextInt(options.maxNodes() - options.minNodes() + 1);
    replication = Math.min(n - 1, 2 + world.random.nextInt(2));
    int boot = replication + world.random.nextInt(n - replication + 1);
    ClusterSettings settings =
        ClusterSettings.newBuilder().setShardCount(16).setChainLength(replication).build();
    world.zk = new SimZooKeeper(world, settings);
    world.coordinator =
        new Coordinator(
            world.zk,
            new SimLeaderElection(),
            options.policy().create(boot),
            world.coordinatorWorker);
    world.coordinator.start();
    for (int i = 0; i < n; i++) {
      world.nodes.put("n" + i, new SimNode("n" + i, world));
    }
    world.trace.add(
        "seed "
            + options.seed()
            + " nodes "
            + n
            + " bootstrap "
            + boot
            + " chain length "
            + replication);
    SimFaults faults = new SimFaults(world);
    for (int i = 0; i < boot; i++) {
      faults.startLater("n" + i, 0);
    }
    runUntil(
        world.zk::bootstrapped,
        SimWorld.millis(50),
        Violation.STALLED_RECONFIGURATION,
        "bootstrap");
    List<String> keys = new ArrayList<>();
    Map<String, Integer> chainOfKey = new LinkedHashMap<>();
    for (int c : world.zk.views().keySet()) {
      for (int k = 0; k < options.keysPerChain(); k++) {
        keys.add("k" + c + "-" + k);
        chainOfKey.put("k" + c + "-" + k, c);
      }
    }
    long start = SimWorld.millis(80);
    long workloadEnd = start + SimWorld.millis(options.workloadMillis());
    for (int i = boot; i < n; i++) {
      faults.startLater("n" + i, world.between(SimWorld.millis(20), workloadEnd / 2));
    }
    List<SimClient> clients = new ArrayList<>();
    for (int i = 0; i < options.clients(); i++) {
      SimClient c =
          new SimClient("c" + i, world, keys, chainOfKey, null, workloadEnd, SimWorld.millis(900));
      c.start(start - world.clock.nanos() + world.between(0, SimWorld.millis(5)));
      clients.add(c);
    }
    faults.plan(options.faultEvents(), workloadEnd);
    world.scheduler.after(
        workloadEnd - world.clock.nanos(), "faults off", () -> world.faults = false);

    runUntil(
        () ->
            world.clock.nanos() >= workloadEnd
                && clients.stream().allMatch(SimClient::done)
                && !faults.anyCrashed(),
        workloadEnd + SimWorld.millis(3_000),
        Violation.STALLED_COMMIT,
        "clients did not finish");
    world.invariants.checkAcked();

    // Liveness: with every node up again, every chain reaches full length, all members ACTIVE.
    runUntil(
        this::fullLength,
        world.clock.nanos() + SimWorld.millis(30_000),
        Violation.STALLED_RECONFIGURATION,
        "chains did not reach full length with only ACTIVE members");

    // Probe and final reads, by one client with a generous deadline.
    List<SimClient.Planned> script = new ArrayList<>();
    for (int c : world.zk.views().keySet()) {
      script.add(new SimClient.Planned("k" + c + "-0", "final-probe-" + c));
    }
    for (String k : keys) {
      script.add(new SimClient.Planned(k, null));
    }
    long finalStart = world.clock.nanos();
    SimClient last =
        new SimClient(
            "final", world, keys, chainOfKey, script, Long.MAX_VALUE, SimWorld.millis(2_000));
    last.start(SimWorld.millis(100));
    runUntil(
        last::done,
        finalStart + SimWorld.millis(10_000),
        Violation.STALLED_COMMIT,
        "final client did not finish");
    runUntil(
        () -> world.scheduler.idle(), world.clock.nanos() + SimWorld.millis(2_000), null, null);
    world.invariants.checkAcked();
    return verify(keys, finalStart);
  }

  /** Every chain has min(chain length, live nodes) members, all ACTIVE; the coordinator is idle. */
  private boolean fullLength() {
    if (!world.coordinatorWorker.idle()) {
      return false;
    }
    int want = Math.min(replication, world.zk.registered().size());
    for (ChainView v : world.zk.views().values()) {
      if (!v.syncing().isEmpty() || v.active().size() != want) {
        return false;
      }
    }
    return true;
  }

  private void runUntil(
      java.util.function.BooleanSupplier done, long deadline, Violation violation, String what) {
    while (!done.getAsBoolean()) {
      if (world.scheduler.nextTime() > deadline || world.scheduler.steps() > MAX_STEPS) {
        if (what == null) {
          return;
        }
        // Writes that stop committing while a chain is short or still joining are a stalled
        // reconfiguration, not a stalled commit.
        boolean reconfiguring = violation == Violation.STALLED_COMMIT && !fullLength();
        throw new InvariantViolation(
            reconfiguring ? Violation.STALLED_RECONFIGURATION : violation,
            "liveness: "
                + what
                + "; chains "
                + world.zk.views().values()
                + ", registered "
                + world.zk.registered());
      }
      world.scheduler.step();
      world.invariants.afterStep();
      if (world.scheduler.steps() % 512 == 0) {
        world.invariants.checkAcked();
      }
    }
  }

  /**
   * Checks the run's history. The final read of a key is the latest successful read issued after
   * {@code finalStart} (by the final client, once the workload ended and the cluster healed): an
   * earlier read says nothing about writes acknowledged after it, so a key whose final reads all
   * failed is a liveness failure, not a lost write.
   */
  private SimResult verify(List<String> keys, long finalStart) {
    checkSettled();
    History history = world.recorder.history();
    Map<String, Optional<String>> finalReads = new LinkedHashMap<>();
    Map<String, Long> finalReadTime = new LinkedHashMap<>();
    for (Operation op : history.operations()) {
      if (op.status() == OpStatus.INFO && op.value() != null && op.value().startsWith("final-")) {
        throw failure(
            Violation.STALLED_COMMIT, "liveness: probe write " + op.value() + " did not commit");
      }
      if (op.type() == OpType.READ
          && op.status() == OpStatus.OK
          && op.invokeNanos() >= finalStart
          && op.invokeNanos() >= finalReadTime.getOrDefault(op.key(), Long.MIN_VALUE)) {
        finalReads.put(op.key(), Optional.ofNullable(op.output()));
        finalReadTime.put(op.key(), op.invokeNanos());
      }
    }
    for (String k : keys) {
      if (!finalReads.containsKey(k)) {
        throw failure(Violation.STALLED_COMMIT, "liveness: no final read of " + k + " succeeded");
      }
    }
    CheckResult r =
        new LinearizabilityChecker(CheckerOptions.deterministic(options.checkSteps()))
            .check(history);
    if (r.verdict() == Verdict.UNKNOWN) {
      throw failure(Violation.CHECK_UNKNOWN, "linearizability unknown: " + r.report());
    }
    if (r.verdict() != Verdict.LINEARIZABLE) {
      throw failure(Violation.NOT_LINEARIZABLE, "not linearizable: " + r.report());
    }
    List<LostWrite> lost = LostWriteDetector.detect(history, finalReads);
    if (!lost.isEmpty()) {
      throw failure(Violation.LOST_WRITE, "lost acknowledged writes: " + lost);
    }
    return new SimResult(
        options.seed(),
        world.trace.hash(),
        world.scheduler.steps(),
        world.nodes.size(),
        replication,
        world.invariants.ackedWrites(),
        world.anomalies,
        java.util.Collections.unmodifiableSortedMap(world.counters),
        history);
  }

  /**
   * After the probe: every ACTIVE member holds the same history, has the view, pends nothing, and
   * holds the same object records (§4a "Rejoin with old data": a resync rolls back what the chain
   * never committed).
   */
  private void checkSettled() {
    if (!fullLength()) {
      throw failure(
          Violation.STALLED_RECONFIGURATION,
          "settle: chains changed after the probe: " + world.zk.views());
    }
    for (ChainView v : world.zk.views().values()) {
      Long fp = null;
      for (String m : v.active()) {
        SimNode node = world.node(m);
        ReplicaDriver r = node.replica(v.chainId());
        if (r == null) {
          throw failure(
              Violation.STALLED_COMMIT, "settle: " + m + " has no replica of chain " + v.chainId());
        }
        ReplicaStatus st = r.status();
        SimChainState d = node.storage().chain(v.chainId());
        long f = d.complete() ? d.prefixFingerprint(d.last()) ^ d.last() : -1;
        if (st.epoch() != v.epoch()
            || st.pending() != 0
            || !d.complete()
            || (fp != null && fp != f)) {
          // Different histories at ACTIVE members break the prefix property; the rest is a stall.
          throw failure(
              fp != null && fp != f ? Violation.ORDER : Violation.STALLED_COMMIT,
              "settle: chain "
                  + v.chainId()
                  + " epoch "
                  + v.epoch()
                  + " member "
                  + m
                  + " did not settle: "
                  + st
                  + " (histories differ: "
                  + (fp != null && fp != f)
                  + ")");
        }
        fp = f;
      }
      checkSameRecords(v);
    }
  }

  private void checkSameRecords(ChainView v) {
    String first = v.active().get(0);
    var expected = world.node(first).storage().chain(v.chainId()).objects;
    for (String m : v.active()) {
      var records = world.node(m).storage().chain(v.chainId()).objects;
      if (!records.equals(expected)) {
        var extra = new java.util.TreeMap<>(records);
        extra.entrySet().removeAll(expected.entrySet());
        var missing = new java.util.TreeMap<>(expected);
        missing.entrySet().removeAll(records.entrySet());
        throw failure(
            Violation.DIVERGENCE,
            "settle: chain "
                + v.chainId()
                + " member "
                + m
                + " holds other records than "
                + first
                + ": extra "
                + extra
                + ", missing "
                + missing);
      }
    }
  }

  /** Runs the simulation for {@code options}, returning the result or throwing the failure. */
  public static SimResult run(SimOptions options) {
    return new ChainSimulation(options).run();
  }
}
