package dev.catena.tests.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The simulation is not vacuous: for each deliberately faulty variant of the protocol ({@link
 * FaultyReplicas}) or of the simulated store's join path ({@link SimStorage.InstallFault}) a seed
 * among the first {@value #MAX_SEEDS} fails with the specific {@link Violation} the fault causes,
 * in a run where the variant actually deviated from the real protocol, while the real protocol
 * passes that same seed. Any other failure of the variant's run (another violation, a stall, a
 * checker that ran out of budget) is not a detection.
 */
class FaultDetectionTest {
  static final int MAX_SEEDS = 500;

  /**
   * True when {@code f} is a detection of a fault expected to cause one of {@code expected}: an
   * UNKNOWN verdict never is (it proves nothing), whatever a test expects.
   */
  static boolean detects(SimulationFailure f, Set<Violation> expected) {
    return f.violation() != Violation.CHECK_UNKNOWN && expected.contains(f.violation());
  }

  private static SimulationFailure firstDetection(
      FaultyReplicas.Variant variant, Violation first, Violation... more) {
    return firstDetection(
        o -> o.withReplicaFactory(variant.factory()), variant.deviations(), first, more);
  }

  /**
   * The first seed on which the faulty variant fails with one of the expected violations, after
   * deviating from the real protocol at least once ({@code deviations}, null when the variant does
   * not count), while the real protocol passes the same seed.
   */
  private static SimulationFailure firstDetection(
      UnaryOperator<SimOptions> faulty, AtomicLong deviations, Violation first, Violation... more) {
    Set<Violation> expected = EnumSet.of(first, more);
    for (long seed = 0; seed < MAX_SEEDS; seed++) {
      if (deviations != null) {
        deviations.set(0);
      }
      try {
        ChainSimulation.run(SimOptions.defaults(seed).with(faulty));
      } catch (SimulationFailure f) {
        if (!detects(f, expected)
            || (deviations != null && deviations.get() == 0)
            || !realPasses(seed)) {
          continue;
        }
        System.out.println("detected at seed=" + seed + ": " + firstLine(f.getMessage()));
        return f;
      }
    }
    return fail("no seed among the first " + MAX_SEEDS + " shows " + expected);
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

  // Invariant 3 / CR §2: "a write is committed when the tail has it durably". Acknowledged before
  // durable, a crash that loses unsynced data loses an acknowledged write.
  @Test
  void tailAckBeforeDurableIsDetected() {
    firstDetection(FaultyReplicas.ackBeforeDurable(), Violation.LOST_WRITE);
  }

  // §4a: "On a middle failure the predecessor must still hold every write not yet acknowledged by
  // the tail" and resend it after the successor's Hello. Without the resend the successor never
  // gets those writes: with every chain at full length, writes stop committing.
  @Test
  void missingResendAfterHelloIsDetected() {
    firstDetection(FaultyReplicas.noResendAfterHello(), Violation.STALLED_COMMIT);
  }

  // Invariant 7 / §4a "Zombies": a removed, cut-off node must not serve reads.
  @Test
  void readsServedByFencedNodeAreDetected() {
    firstDetection(FaultyReplicas.ignoreFencing(), Violation.STALE_READ);
  }

  // Invariant 8: the dedup record is part of the replicated write and survives failover; without
  // it a new head applies a retry of a committed request a second time.
  @Test
  void dedupNotReplicatedIsDetected() {
    firstDetection(FaultyReplicas.dedupNotReplicated(), Violation.DOUBLE_APPLY);
  }

  // §4a "Snapshot cut": the joining node keeps the newer of snapshot and forwarded write per key.
  @Test
  void snapshotOverwritingForwardedKeysIsDetected() {
    firstDetection(
        o -> o.withInstallFault(SimStorage.InstallFault.SNAPSHOT_OVERWRITES_FORWARDED),
        null,
        Violation.STALE_READ);
  }

  // §4a "Rejoin with old data": a restarted node may hold writes that were never committed; the
  // resync must roll them back. Kept, the rejoiner holds records its chain never committed.
  @Test
  void resyncKeepingUncommittedWritesIsDetected() {
    firstDetection(
        o -> o.withInstallFault(SimStorage.InstallFault.RESYNC_KEEPS_UNCOMMITTED),
        null,
        Violation.DIVERGENCE,
        Violation.STALE_READ);
  }

  // §4 "Add a tail": a joiner reports caught up only once its snapshot is installed. Without the
  // data below the cut, the first write it stores has nothing before it (invariant 2, in order),
  // and promoted it serves reads that miss committed writes.
  @Test
  void promotionBeforeInstallIsDetected() {
    firstDetection(FaultyReplicas.reportInstalledAtOnce(), Violation.ORDER, Violation.STALE_READ);
  }

  // An exhausted checker budget proves nothing: the run fails as UNKNOWN, and that is never a
  // detection, even for a test that would accept a linearizability violation.
  @Test
  void checkerOutOfBudgetIsNotADetection() {
    SimulationFailure f = null;
    try {
      ChainSimulation.run(SimOptions.defaults(3).withCheckSteps(10));
    } catch (SimulationFailure e) {
      f = e;
    }
    assertThat(f).as("a check with 10 search steps cannot prove a run linearizable").isNotNull();
    assertThat(f.violation()).isEqualTo(Violation.CHECK_UNKNOWN);
    assertThat(f.reason()).contains("search step budget of 10 exhausted");
    assertThat(detects(f, EnumSet.allOf(Violation.class))).isFalse();
  }
}
