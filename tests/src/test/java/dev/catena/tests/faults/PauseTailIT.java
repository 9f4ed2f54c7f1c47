package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.tests.check.transport.DirectReads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Zombie tail, DESIGN §4 invariants 6 and 7 and §4a "Zombies": SIGSTOP of the tail of a chain for
 * longer than the session timeout under continuous writes, then SIGCONT. The coordinator removes it
 * once its session has expired; after waking, the node must refuse every read sent to it directly
 * for that chain (in its old epoch and in the current one) until it is a member again; no client
 * read may be stale (the history check) and no acknowledged write is lost.
 */
class PauseTailIT {
  private static final int CHAIN = 0;

  @Test
  void pausedTailIsFencedUntilReadded() throws Exception {
    try (var h = FaultHarness.start("pause-tail", 4, 3, 21)) {
      var cluster = h.cluster();
      ClusterAdmin.ChainStatus before = cluster.chain(CHAIN);
      String tail = before.members().get(before.members().size() - 1);
      h.awaitMoreOps(60);
      cluster.pause(tail);
      await("coordinator removed the paused tail " + tail)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                ClusterAdmin.ChainStatus c = cluster.chain(CHAIN);
                return !c.members().contains(tail) && !c.syncing().contains(tail);
              });
      h.awaitMoreOps(50); // writes commit without the paused tail
      cluster.resume(tail);

      List<String> served = new ArrayList<>();
      List<String> refusals = new ArrayList<>();
      int[] probes = {0};
      try (var direct = new DirectReads(cluster.port(tail))) {
        await("paused tail " + tail + " re-added as ACTIVE member of chain " + CHAIN)
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  ClusterAdmin.ChainStatus now = cluster.chain(CHAIN);
                  if (now.members().contains(tail)) {
                    return true;
                  }
                  for (long epoch : new long[] {before.epoch(), now.epoch()}) {
                    for (int k = 0; k < 2; k++) {
                      var outcome = direct.get(CHAIN, epoch, FaultHarness.BUCKET, "k" + k);
                      probes[0]++;
                      if (outcome.served()) {
                        served.add("epoch " + epoch + " (current " + now + "): " + outcome);
                      } else if (refusals.size() < 5 && !refusals.contains(outcome.detail())) {
                        refusals.add(outcome.detail());
                      }
                    }
                  }
                  return false;
                });
      }
      System.out.printf(
          "pause-tail: %d direct reads to %s refused while not a member; reasons %s%n",
          probes[0], tail, refusals);
      assertThat(probes[0]).as("direct reads sent while %s was not a member", tail).isPositive();
      assertThat(served).as("reads served by the fenced node %s", tail).isEmpty();
      h.awaitMoreOps(50);
      h.finishAndCheck();
    }
  }
}
