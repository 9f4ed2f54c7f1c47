package dev.catena.tests.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The simulation is not vacuous: for each deliberately faulty variant of the protocol ({@link
 * FaultyReplicas}) a failing seed is found among the first {@value #MAX_SEEDS} seeds, and the
 * failure names the broken property.
 */
class FaultDetectionTest {
  static final int MAX_SEEDS = 500;

  private static SimulationFailure firstFailure(
      ReplicaDriver.Factory faulty, Predicate<String> expected) {
    for (long seed = 0; seed < MAX_SEEDS; seed++) {
      try {
        ChainSimulation.run(SimOptions.defaults(seed).withReplicaFactory(faulty));
      } catch (SimulationFailure f) {
        assertTrue(
            expected.test(f.reason()),
            "seed=" + seed + " failed, but not for the expected reason:\n" + f.getMessage());
        System.out.println("detected at seed=" + seed + ": " + firstLine(f.reason()));
        return f;
      }
    }
    return fail("no failing seed among the first " + MAX_SEEDS);
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
    firstFailure(FaultyReplicas.ignoreFencing(), r -> r.contains("linearizab"));
  }

  // Invariant 8: the dedup record is part of the replicated write and survives failover.
  @Test
  void dedupNotReplicatedIsDetected() {
    firstFailure(
        FaultyReplicas.dedupNotReplicated(),
        r -> r.contains("exactly-once") || r.contains("linearizab"));
  }
}
