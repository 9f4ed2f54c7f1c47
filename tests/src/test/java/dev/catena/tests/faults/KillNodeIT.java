package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.tests.check.ChainObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failure recovery, DESIGN §4 "Reconfiguration": kill -9 of the head, a middle or the tail of a
 * chain under continuous writes from several clients. 4 nodes, chain length 3 (so a spare exists).
 * The first configuration of the chain without the killed node must keep the other members in their
 * order (head fails → successor is head; tail fails → predecessor is tail; middle fails →
 * neighbours linked), a spare must join and the chain return to full length, and the whole history
 * must be linearizable with no acknowledged write lost.
 */
class KillNodeIT {
  private static final int CHAIN = 0;

  @Test
  void killHeadOfAChain() throws Exception {
    killMember("kill-head", 0, 11);
  }

  @Test
  void killMiddleOfAChain() throws Exception {
    killMember("kill-middle", 1, 12);
  }

  @Test
  void killTailOfAChain() throws Exception {
    killMember("kill-tail", 2, 13);
  }

  private void killMember(String name, int position, long seed) throws Exception {
    try (var h = FaultHarness.start(name, 4, 3, seed)) {
      var cluster = h.cluster();
      ClusterAdmin.ChainStatus before = cluster.chain(CHAIN);
      String victim = before.members().get(position);
      List<String> survivors = new ArrayList<>(before.members());
      survivors.remove(victim);
      try (var observer = new ChainObserver(cluster::status, 20)) {
        h.awaitMoreOps(60);
        cluster.kill(victim);
        await("chain " + CHAIN + " repaired without " + victim)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  ClusterAdmin.ChainStatus c = cluster.chain(CHAIN);
                  return c.members().size() == 3
                      && c.syncing().isEmpty()
                      && !c.members().contains(victim);
                });
        h.awaitMoreOps(60);
        ClusterAdmin.ChainStatus first = observer.firstWithout(CHAIN, victim);
        assertThat(first).as("a configuration without %s was observed", victim).isNotNull();
        assertThat(first.epoch()).isGreaterThan(before.epoch());
        assertThat(first.members())
            .as("first configuration without %s keeps the others in order", victim)
            .startsWith(survivors.toArray(String[]::new));
        assertThat(observer.all().stream().anyMatch(c -> !c.syncing().isEmpty()))
            .as("a spare joined as SYNCING")
            .isTrue();
      }
      h.finishAndCheck();
    }
  }
}
