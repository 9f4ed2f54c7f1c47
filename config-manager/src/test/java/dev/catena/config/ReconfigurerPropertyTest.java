package dev.catena.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.sharding.ChainSpec;
import dev.catena.sharding.RoleBalance;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random histories of node losses, returns, new joins, sync completions, drains and rebalance
 * requests (DESIGN §3 role balance, §4 reconfiguration, §6 coordinator). Every configuration the
 * policy returns is checked by {@link ReconfigSim#step} (epoch + 1, one membership change, at least
 * one ACTIVE member, distinct members, SYNCING after ACTIVE, one configuration per epoch, no
 * reorder); after each event the coordinator runs to a fixpoint and the repair invariants are
 * checked; at the end every node returns and the settled cluster must be role balanced.
 */
class ReconfigurerPropertyTest {
  static LongStream seeds() {
    return LongStream.range(0, 400);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomHistoriesKeepInvariantsAndSettleBalanced(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int chainLength = 1 + rnd.nextInt(3);
    int initial = chainLength + rnd.nextInt(4);
    ClusterSettings settings =
        ClusterSettings.newBuilder().setShardCount(16).setChainLength(chainLength).build();
    String ctx = "seed " + seed + " (R=" + chainLength + ", N=" + initial + ")";
    ReconfigSim sim = new ReconfigSim(settings, new Reconfigurer(initial), ctx);
    Set<String> known = new TreeSet<>();
    Set<String> decommissioned = new TreeSet<>();
    for (int i = 0; i < initial; i++) {
      sim.register("n" + i);
      known.add("n" + i);
    }
    sim.coordinate(5);
    assertThat(sim.chains).as(ctx).hasSize(initial);
    int fresh = 0;
    int events = 10 + rnd.nextInt(30);
    for (int e = 0; e < events; e++) {
      String what = ctx + ", event " + e;
      int kind = rnd.nextInt(100);
      List<String> liveList = new ArrayList<>(sim.live);
      List<String> dead = new ArrayList<>(known);
      dead.removeAll(sim.live);
      dead.removeAll(decommissioned);
      if (kind < 30 && !liveList.isEmpty()) {
        String lost = liveList.get(rnd.nextInt(liveList.size()));
        sim.live.remove(lost);
        sim.step(new ClusterEvent.NodeLost(lost));
      } else if (kind < 45 && !dead.isEmpty()) {
        String back = dead.get(rnd.nextInt(dead.size()));
        sim.register(back);
        sim.step(new ClusterEvent.NodeJoined(back));
      } else if (kind < 50 && !liveList.isEmpty()) {
        // Restarted (or a new session) before the coordinator saw the old registration vanish.
        String restarted = liveList.get(rnd.nextInt(liveList.size()));
        sim.register(restarted);
        sim.step(new ClusterEvent.NodeJoined(restarted));
      } else if (kind < 57) {
        String n = "x" + fresh++;
        known.add(n);
        sim.register(n);
        sim.step(new ClusterEvent.NodeJoined(n));
      } else if (kind < 85) {
        sim.reportCaughtUp();
        sim.step(new ClusterEvent.Resync());
      } else if (kind < 92) {
        sim.rebalanceRequest = true;
        sim.step(new ClusterEvent.Rebalance());
      } else if (liveList.size() > chainLength + 1) {
        String drained = liveList.get(rnd.nextInt(liveList.size()));
        sim.removeRequests.add(drained);
        sim.step(new ClusterEvent.RemoveNode(drained));
      }
      sim.coordinate(200);
      checkRepaired(sim, what);
      // The operator stops a node once it is drained out of every chain.
      for (String d : List.copyOf(sim.removeRequests)) {
        if (memberships(sim, d) == 0) {
          sim.removeRequests.remove(d);
          sim.live.remove(d);
          decommissioned.add(d);
        }
      }
    }
    // Every node that was not decommissioned comes back; then everything settles.
    for (String n : known) {
      if (!decommissioned.contains(n) && !sim.live.contains(n)) {
        sim.register(n);
      }
    }
    sim.settle(300);
    checkRepaired(sim, ctx + ", final");
    List<ChainSpec> table = new ArrayList<>();
    for (Versioned<ChainConfig> v : sim.chains.values()) {
      ChainMembers c = ChainMembers.of(v.value());
      assertThat(c.syncing()).as(ctx + ": settled with a joiner " + v.value()).isEmpty();
      table.add(new ChainSpec(c.chainId(), c.active()));
    }
    Set<String> serving = new TreeSet<>(sim.live);
    serving.removeAll(sim.removeRequests); // drained: in no chain, waiting to be stopped
    for (String d : sim.removeRequests) {
      assertThat(memberships(sim, d)).as(ctx + ": drained node still in a chain").isZero();
    }
    RoleBalance balance = RoleBalance.of(table, serving);
    assertThat(spread(balance.heads()))
        .as(ctx + ": heads " + balance + "\n" + sim.describe())
        .isLessThanOrEqualTo(1);
    assertThat(spread(balance.tails()))
        .as(ctx + ": tails " + balance + "\n" + sim.describe())
        .isLessThanOrEqualTo(1);
    if (sim.chains.size() == serving.size()) {
      assertThat(balance.isBalanced()).as(ctx + ": " + balance).isTrue();
    }
  }

  /**
   * After the coordinator reached its fixpoint: a lost node remains only as the last ACTIVE member
   * of its chain; a chain with a live tail and no joiner is not below the chain length while a
   * spare exists.
   */
  private static void checkRepaired(ReconfigSim sim, String ctx) {
    for (Versioned<ChainConfig> v : sim.chains.values()) {
      ChainMembers c = ChainMembers.of(v.value());
      for (String s : c.syncing()) {
        assertThat(sim.live).as(ctx + ": lost joiner kept in " + v.value()).contains(s);
      }
      for (String a : c.active()) {
        if (!sim.live.contains(a)) {
          assertThat(c.active()).as(ctx + ": lost node kept in " + v.value()).hasSize(1);
        }
      }
      // A membership held by an earlier registration of a live node never survives a repair.
      for (String m : sim.live) {
        if (c.contains(m)) {
          assertThat(c.incarnation(m))
              .as(ctx + ": " + m + " acts for an earlier life in " + v.value())
              .isEqualTo(sim.incarnations.get(m));
        }
      }
      if (!sim.live.contains(c.tail()) || !c.syncing().isEmpty() || c.anyLeaving()) {
        continue; // no joiner possible, one joiner at a time, or a member's leave is awaited
      }
      int members = c.active().size() + c.syncing().size();
      if (members < sim.settings.getChainLength()) {
        List<String> spares = new ArrayList<>(sim.live);
        spares.removeAll(sim.removeRequests);
        spares.removeAll(c.active());
        spares.removeAll(c.syncing());
        assertThat(spares).as(ctx + ": short chain " + v.value() + " with spares").isEmpty();
      }
    }
  }

  private static int memberships(ReconfigSim sim, String node) {
    int n = 0;
    for (Versioned<ChainConfig> v : sim.chains.values()) {
      if (ChainMembers.of(v.value()).contains(node)) {
        n++;
      }
    }
    return n;
  }

  private static int spread(java.util.Map<String, Integer> counts) {
    int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return max - min;
  }
}
