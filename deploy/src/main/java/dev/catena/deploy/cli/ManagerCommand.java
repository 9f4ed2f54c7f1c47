package dev.catena.deploy.cli;

import dev.catena.deploy.zk.ManagerProcess;
import dev.catena.proto.v1.ClusterSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code catena manager}: a coordinator (active or standby) in the foreground. */
@Command(name = "manager", description = "Run a coordinator (one is active, others stand by).")
final class ManagerCommand implements Callable<Integer> {
  @Mixin ZooKeeperOptions where;

  @Option(
      names = "--id",
      defaultValue = "manager-1",
      description = "this coordinator's id in leader election (default ${DEFAULT-VALUE})")
  String id;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "nodes to wait for before the first chain table")
  int nodes;

  @Option(
      names = "--chain-length",
      defaultValue = "3",
      description = "replicas per chain, fixed at creation (default ${DEFAULT-VALUE})")
  int chainLength;

  @Option(names = "--shards", defaultValue = "1024", description = "shard count, fixed at creation")
  int shards;

  @Option(
      names = "--session-timeout-ms",
      defaultValue = "4000",
      description = "ZooKeeper session timeout (default ${DEFAULT-VALUE})")
  long sessionTimeoutMs;

  @Option(
      names = "--admin-port",
      defaultValue = "-1",
      description =
          "serve the dashboard (/), /metrics (Prometheus) and /healthz on this port of localhost;"
              + " 0 = any free port, -1 = none (default)")
  int adminPort;

  @Override
  public Integer call() throws Exception {
    var settings =
        ClusterSettings.newBuilder()
            .setShardCount(shards)
            .setChainLength(chainLength)
            .setChunkSizeBytes(4L << 20)
            .setInlineThresholdBytes(256L << 10)
            .build();
    var m =
        ManagerProcess.start(
            where.zk,
            where.cluster,
            id,
            settings,
            nodes,
            Duration.ofMillis(sessionTimeoutMs),
            adminPort);
    Foreground fg = Foreground.closeOnExit(m, null);
    System.out.println("manager " + id + " started for cluster " + where.cluster);
    if (m.adminPort() >= 0) {
      System.out.printf(
          "manager %s admin: http://127.0.0.1:%d/metrics and /healthz%n", id, m.adminPort());
      System.out.printf("Dashboard: http://127.0.0.1:%d/%n", m.adminPort());
    }
    fg.await();
    return 0;
  }
}
