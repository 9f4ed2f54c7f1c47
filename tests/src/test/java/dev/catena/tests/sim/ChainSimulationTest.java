package dev.catena.tests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.catena.tests.history.HistoryJson;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deterministic simulation of the real chain protocol (DESIGN.md §9): many seeds, each a different
 * topology, workload and fault schedule; every run must keep the §4 invariants, stay live after
 * healing, and produce a linearizable history without lost acknowledged writes. A failure prints
 * {@code seed=<n>} and the command that replays it.
 *
 * <p>{@code -Dcatena.sim.seeds=N} sets the number of seeds (profile {@code sim-long}: 10 000), and
 * {@code -Dcatena.sim.firstSeed=S} the first one.
 */
class ChainSimulationTest {

  static LongStream seeds() {
    long n = Long.getLong("catena.sim.seeds", 200);
    long first = Long.getLong("catena.sim.firstSeed", 0);
    return LongStream.range(first, first + n);
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void realProtocolKeepsInvariantsAndLinearizability(long seed) {
    SimResult r = ChainSimulation.run(SimOptions.defaults(seed));
    assertTrue(r.ackedWrites() > 0, "seed=" + seed + ": no write was acknowledged");
  }

  /** Replays one seed: {@code -Dcatena.sim.seed=<n>}; skipped when the property is not set. */
  @Test
  void replay() {
    String s = System.getProperty("catena.sim.seed");
    assumeTrue(s != null, "set -Dcatena.sim.seed=<n> to replay a seed");
    SimResult r = ChainSimulation.run(SimOptions.defaults(Long.parseLong(s)));
    System.out.printf(
        "seed=%d nodes=%d replication=%d steps=%d acked=%d anomalies=%d trace=%s%n",
        r.seed(),
        r.nodes(),
        r.replication(),
        r.steps(),
        r.ackedWrites(),
        r.anomalies(),
        r.traceHash());
  }

  @Test
  void sameSeedGivesByteIdenticalRun() {
    for (long seed : new long[] {3, 17, 4242}) {
      SimResult a = ChainSimulation.run(SimOptions.defaults(seed));
      SimResult b = ChainSimulation.run(SimOptions.defaults(seed));
      assertEquals(a.traceHash(), b.traceHash(), "seed=" + seed);
      assertEquals(a.steps(), b.steps(), "seed=" + seed);
      assertEquals(
          HistoryJson.toJsonLines(a.history()),
          HistoryJson.toJsonLines(b.history()),
          "seed=" + seed);
    }
  }

  @Test
  void differentSeedsGiveDifferentRuns() {
    SimResult a = ChainSimulation.run(SimOptions.defaults(1));
    SimResult b = ChainSimulation.run(SimOptions.defaults(2));
    assertTrue(!a.traceHash().equals(b.traceHash()));
  }
}
