package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.tests.check.ChainObserver;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Add a tail, DESIGN §4 "Add a tail (snapshot + catch-up)": a fourth node joins a loaded 3-node
 * cluster (chain length 3) under continuous writes; it joins some chain as SYNCING (snapshot plus
 * forwarded writes) and becomes its ACTIVE tail. History linearizable, no acknowledged write lost.
 */
class AddNodeIT {
  @Test
  void newNodeBecomesTailOfSomeChain() throws Exception {
    try (var h = FaultHarness.start("add-node", 3, 3, 41)) {
      var cluster = h.cluster();
      h.awaitMoreOps(150);
      try (var observer = new ChainObserver(cluster::status, 20)) {
        String added = cluster.addNode();
        await(added + " is the ACTIVE tail of some chain")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    cluster.isHealthy()
                        && cluster.status().chains().stream()
                            .anyMatch(
                                c ->
                                    !c.members().isEmpty()
                                        && c.members().get(c.members().size() - 1).equals(added)));
        assertThat(observer.sawSyncing(added)).as("%s joined as SYNCING first", added).isTrue();
      }
      h.awaitMoreOps(50);
      h.finishAndCheck();
    }
  }
}
