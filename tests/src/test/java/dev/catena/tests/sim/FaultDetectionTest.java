package dev.catena.tests.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The simulation is not vacuous: for each deliberately faulty variant of the protocol ({@link
 * FaultyReplicas}) or of the simulated store's join path ({@link SimStorage.InstallFault}) a seed
 * among the first {@value #MAX_SEEDS} fails for the broken property while the real protocol passes
 * that same seed.
 */
class FaultDetectionTest {
  static final int MAX_SEEDS = 500;

  private static SimulationFailure firstFailure(
      ReplicaDriver.Factory faulty, Predicate<String> expected) {
    return firstFailure(o -> o.withReplicaFactory(faulty), expected);
  }

  /**
   * The first seed on which the faulty variant fails for the expected reason while the real
   * protocol passes the same seed (so the detection is the fault's, not another known issue's).
   */
  private static SimulationFailure firstFailure(
      UnaryOperator<SimOptions> faulty, Predicate<String> expected) {
    for (long seed = 0; seed < MAX_SEEDS; seed++) {
      try {
        ChainSimulation.run(SimOptions.defaults(seed).with(faulty));
      } catch (SimulationFailure f) {
        if (!expected.test(f.reason()) || !realPasses(seed)) {
          continue;
        }
        System.out.println("detected at seed=" + seed + ": " + firstLine(f.reason()));
        return f;
      }
    }
    return fail("no seed among the first " + MAX_SEEDS + " shows the fault");
  }

  private static boolean realPasses(long seed) {
    try {
      ChainSimulation.run(SimOptions.defaults(seed));
      return true;
    } catch (SimulationFailure f) {
      return false;
    }
  }

  private static String firstLine(String s) {
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  // Invariant 3 / CR §2: "a write is committed when the tail has it durably".
  @Test
  void tailAckBeforeDurableIsDetected() {
    firstFailure(
        FaultyReplicas.ackBeforeDurable(),
        r -> r.contains("commit:") || r.contains("lost acknowledged") || r.contains("linearizab"));
  }

  // §4a: "On a middle failure the predecessor must still hold every write not yet acknowledged by
  // the tail" and resend it after the successor's Hello.
  @Test
  void missingResendAfterHelloIsDetected() {
    firstFailure(
        FaultyReplicas.noResendAfterHello(),
        r -> r.contains("liveness") || r.contains("settle") || r.contains("commit:"));
  }

  // Invariant 7 / §4a "Zombies": a removed, cut-off node must not serve reads.
  @Test
  void readsServedByFencedNodeAreDetected() {
    firstFailure(
        FaultyReplicas.ignoreFencing(), r -> r.contains("read:") || r.contains("linearizab"));
  }

  // Invariant 8: the dedup record is part of the replicated write and survives failover.
  @Test
  void dedupNotReplicatedIsDetected() {
    firstFailure(
        FaultyReplicas.dedupNotReplicated(),
        r -> r.contains("exactly-once") || r.contains("linearizab"));
  }

  // §4a "Snapshot cut": the joining node keeps the newer of snapshot and forwarded write per key.
  @Test
  void snapshotOverwritingForwardedKeysIsDetected() {
    firstFailure(
        o -> o.withInstallFault(SimStorage.InstallFault.SNAPSHOT_OVERWRITES_FORWARDED),
        r -> r.contains("read:") || r.contains("linearizab"));
  }

  // §4 "Add a tail": a joiner reports caught up only once its snapshot is installed.
  @Test
  void promotionBeforeInstallIsDetected() {
    firstFailure(
        FaultyReplicas.reportInstalledAtOnce(),
        r ->
            r.contains("read:")
                || r.contains("in-order")
                || r.contains("commit:")
                || r.contains("linearizab"));
  }
}
