package dev.catena.tests.bench.compare;

import dev.catena.client.CatenaClient;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.MemberState;
import dev.catena.tests.bench.failover.BenchCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * Starts the systems a run compares and hands out one {@link BenchTarget} per configuration: a
 * one-node Catena cluster (chain-1), a three-node Catena cluster with chain length 3 shared by
 * chain-3 and rotated-3, and three Ratis peers, each with its own data directory under the run's.
 * Every process and client is registered with the run's {@link Closer}.
 */
final class Systems {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private Systems() {}

  /** Starts what {@code o.configs()} need and returns their targets in configuration order. */
  static List<BenchTarget> start(BenchOptions o, Path data, Closer closer, Executor drain)
      throws InterruptedException {
    String fsync = o.fsync().name().toLowerCase(Locale.ROOT);
    boolean one = o.configs().contains(SystemConfig.CHAIN_1);
    boolean three =
        o.configs().contains(SystemConfig.CHAIN_3) || o.configs().contains(SystemConfig.ROTATED_3);
    RatisCluster ratis =
        o.configs().contains(SystemConfig.RATIS_3)
            ? closer.add(
                RatisCluster.start(
                    data.resolve("ratis-3"), 3, o.ratisBasePort(), o.fsync(), o.ratisProperties()))
            : null;
    BenchCluster c1 =
        one
            ? closer.add(
                BenchCluster.start(
                    new BenchCluster.Options(
                        data.resolve("chain-1"),
                        1,
                        1,
                        o.zkPort(false),
                        o.chain1BasePort(),
                        SESSION_TIMEOUT,
                        fsync)))
            : null;
    BenchCluster c3 =
        three
            ? closer.add(
                BenchCluster.start(
                    new BenchCluster.Options(
                        data.resolve("chain-3"),
                        3,
                        3,
                        o.zkPort(true),
                        o.chain3BasePort(),
                        SESSION_TIMEOUT,
                        fsync)))
            : null;
    var targets = new ArrayList<BenchTarget>();
    CatenaClient client1 = one ? connect(c1, 1, 1, closer) : null;
    CatenaClient client3 = three ? connect(c3, 3, 3, closer) : null;
    for (SystemConfig c : o.configs()) {
      switch (c) {
        case CHAIN_1 ->
            targets.add(new CatenaTarget(c, c1, client1, drain, -1, o.keys(), o.largeKeys()));
        case CHAIN_3 ->
            targets.add(
                new CatenaTarget(c, c3, client3, drain, firstChain(c3), o.keys(), o.largeKeys()));
        case ROTATED_3 ->
            targets.add(new CatenaTarget(c, c3, client3, drain, -1, o.keys(), o.largeKeys()));
        case RATIS_3 -> {
          ratis.awaitListening(READY_TIMEOUT.toMillis());
          RatisTarget t = closer.add(new RatisTarget(ratis, o.fsync(), o.ratisProperties()));
          t.awaitLeader(READY_TIMEOUT.toMillis());
          targets.add(t);
        }
      }
    }
    return targets;
  }

  private static int firstChain(BenchCluster c) {
    return c.chains().keySet().iterator().next();
  }

  /** Waits for {@code nodes} nodes with every chain complete, then connects a client. */
  private static CatenaClient connect(BenchCluster c, int nodes, int chainLength, Closer closer)
      throws InterruptedException {
    if (!c.awaitReady(nodes, READY_TIMEOUT)) {
      throw new IllegalStateException(
          "Catena cluster with " + nodes + " node(s) not ready within " + READY_TIMEOUT);
    }
    boolean complete =
        c.await(
            () -> {
              var chains = c.chains().values();
              if (chains.size() != nodes) {
                return false;
              }
              for (ChainConfig cc : chains) {
                long active =
                    cc.getMembersList().stream()
                        .filter(m -> m.getState() == MemberState.ACTIVE)
                        .count();
                if (active != chainLength) {
                  return false;
                }
              }
              return true;
            },
            READY_TIMEOUT,
            100);
    if (!complete) {
      throw new IllegalStateException("chains not complete: " + c.chains());
    }
    CatenaClient client =
        closer.add(
            CatenaClient.builder()
                .zookeeper(c.zookeeper())
                .cluster(c.clusterName())
                .requestTimeout(Duration.ofSeconds(60))
                .build());
    client.createBucket(CatenaTarget.BUCKET);
    return client;
  }
}
