package dev.catena.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DESIGN §4 "Reconfiguration" and §6, case by case; the property test covers random histories. */
class ReconfigurerTest {
  private static final ClusterSettings R3 =
      ClusterSettings.newBuilder().setShardCount(8).setChainLength(3).build();

  /** Four nodes n0..n3 bootstrapped: chain i = (n_i, n_i+1, n_i+2) mod 4, epoch 1. */
  private static ReconfigSim cluster(ClusterSettings settings, int nodes, boolean auto) {
    ReconfigSim sim = new ReconfigSim(settings, new Reconfigurer(nodes, auto), "case");
    for (int i = 0; i < nodes; i++) {
      sim.register("n" + i);
    }
    assertThat(sim.step(new ClusterEvent.LeadershipAcquired())).isTrue();
    return sim;
  }

  private static String members(ReconfigSim sim, int chain) {
    return ReconfigSim.compact(sim.chains.get(chain).value());
  }

  @Test
  void lostHeadMiddleAndTailAreRemovedInOneStepEachChainOnce() {
    ReconfigSim sim = cluster(R3, 4, false);
    sim.live.remove("n0");
    assertThat(sim.step(new ClusterEvent.NodeLost("n0"))).isTrue();
    assertThat(members(sim, 0)).isEqualTo("0@2[n1, n2]"); // head lost: successor is head
    assertThat(members(sim, 3)).isEqualTo("3@2[n3, n1]"); // middle lost: neighbours linked
    assertThat(members(sim, 2)).isEqualTo("2@2[n2, n3]"); // tail lost: predecessor is tail
    assertThat(members(sim, 1)).isEqualTo("1@1[n1, n2, n3]"); // untouched
    // Next step: each short chain gets the only spare outside it as SYNCING, one joiner each.
    assertThat(sim.step(new ClusterEvent.Resync())).isTrue();
    assertThat(members(sim, 0)).isEqualTo("0@3[n1, n2]+[n3]");
    assertThat(members(sim, 3)).isEqualTo("3@3[n3, n1]+[n2]");
    assertThat(members(sim, 2)).isEqualTo("2@3[n2, n3]+[n1]");
    assertThat(sim.step(new ClusterEvent.Resync())).isFalse(); // waits for the joiners
  }

  @Test
  void membershipsAreGrantedToTheRegistrationOfTheirNode() {
    ReconfigSim sim = cluster(R3, 4, false);
    for (var v : sim.chains.values()) {
      for (var m : v.value().getMembersList()) {
        assertThat(m.getIncarnation()).isEqualTo(sim.incarnations.get(m.getNodeId()));
      }
    }
  }

  @Test
  void aRestartedNodeLosesItsPlacesEvenIfItNeverLookedGone() {
    ReconfigSim sim = cluster(R3, 4, false);
    // n2 restarted and registered again before the coordinator saw its old znode vanish.
    sim.register("n2");
    assertThat(sim.step(new ClusterEvent.NodeJoined("n2"))).isTrue();
    assertThat(members(sim, 2)).isEqualTo("2@2[n3, n0]"); // was head
    assertThat(members(sim, 1)).isEqualTo("1@2[n1, n3]"); // was middle
    assertThat(members(sim, 0)).isEqualTo("0@2[n0, n1]"); // was tail
    // It rejoins as SYNCING, granted to its new registration.
    assertThat(sim.step(new ClusterEvent.Resync())).isTrue();
    assertThat(members(sim, 0)).isEqualTo("0@3[n0, n1]+[n2]");
    assertThat(ChainMembers.of(sim.chains.get(0).value()).incarnation("n2")).isEqualTo("n2#2");
  }

  @Test
  void theLastActiveMemberIsGrantedToItsNewRegistration() {
    ClusterSettings r1 = ClusterSettings.newBuilder().setShardCount(4).setChainLength(1).build();
    ReconfigSim sim = cluster(r1, 2, false);
    sim.live.remove("n0");
    assertThat(sim.step(new ClusterEvent.NodeLost("n0"))).isFalse();
    sim.register("n0");
    assertThat(sim.step(new ClusterEvent.NodeJoined("n0"))).isTrue();
    assertThat(members(sim, 0)).isEqualTo("0@2[n0]");
    assertThat(ChainMembers.of(sim.chains.get(0).value()).incarnation("n0")).isEqualTo("n0#2");
  }

  @Test
  void promotionNeedsCaughtUpForTheCurrentEpoch() {
    ReconfigSim sim = cluster(R3, 4, false);
    sim.live.remove("n0");
    sim.coordinate(10);
    ChainConfig c0 = sim.chains.get(0).value();
    sim.report(c0.toBuilder().setEpoch(c0.getEpoch() - 1).build(), "n3"); // stale epoch
    assertThat(sim.step(new ClusterEvent.SyncReported(0, "n3"))).isFalse();
    sim.report(c0, "n3");
    assertThat(sim.step(new ClusterEvent.SyncReported(0, "n3"))).isTrue();
    assertThat(members(sim, 0)).isEqualTo("0@4[n1, n2, n3]"); // new tail, after the old one
  }

  @Test
  void lastActiveMemberIsKeptAndLostJoinerDropped() {
    ClusterSettings r1 = ClusterSettings.newBuilder().setShardCount(4).setChainLength(1).build();
    ReconfigSim sim = cluster(r1, 2, false);
    sim.live.remove("n0");
    assertThat(sim.step(new ClusterEvent.NodeLost("n0"))).isFalse(); // chain 0 = [n0] stays
    assertThat(members(sim, 0)).isEqualTo("0@1[n0]");

    ReconfigSim r3 = cluster(R3, 4, false);
    r3.live.remove("n0");
    r3.coordinate(10); // chain 0 = [n1, n2] + [n3]
    r3.live.remove("n3");
    assertThat(r3.step(new ClusterEvent.NodeLost("n3"))).isTrue();
    assertThat(members(r3, 0)).isEqualTo("0@4[n1, n2]"); // the joiner is simply dropped
  }

  @Test
  void drainAddsReplacementFirstThenRemovesTheNode() {
    ClusterSettings r2 = ClusterSettings.newBuilder().setShardCount(4).setChainLength(2).build();
    ReconfigSim sim = cluster(r2, 3, false);
    sim.register("n3"); // a spare
    assertThat(sim.step(new ClusterEvent.RemoveNode("n1"))).isTrue();
    // One chain at a time: chain 0 = [n0, n1] gets the spare first.
    assertThat(members(sim, 0)).isEqualTo("0@2[n0, n1]+[n3]");
    assertThat(members(sim, 1)).isEqualTo("1@1[n1, n2]");
    sim.removeRequests.add("n1");
    sim.settle(50);
    for (int c = 0; c < 3; c++) {
      assertThat(ChainMembers.of(sim.chains.get(c).value()).contains("n1")).isFalse();
      assertThat(ChainMembers.of(sim.chains.get(c).value()).active()).hasSize(2);
    }
  }

  @Test
  void roleRestoreBringsBackTheRotatedTableWithoutReorders() {
    ReconfigSim sim = cluster(R3, 4, true);
    List<String> before =
        sim.chains.values().stream()
            .map(v -> v.value().getMembersList())
            .map(ms -> ms.stream().map(m -> m.getNodeId() + ":" + m.getState()).toList())
            .map(Object::toString)
            .toList();
    sim.live.remove("n1");
    sim.settle(100);
    sim.register("n1"); // restarted: a spare like any other
    sim.settle(200); // ReconfigSim.step fails on any reorder
    List<String> after =
        sim.chains.values().stream()
            .map(v -> v.value().getMembersList())
            .map(ms -> ms.stream().map(m -> m.getNodeId() + ":" + m.getState()).toList())
            .map(Object::toString)
            .toList();
    assertThat(after).isEqualTo(before);
    assertThat(sim.policy.isSettled(sim.snapshot())).isTrue();
  }
}
