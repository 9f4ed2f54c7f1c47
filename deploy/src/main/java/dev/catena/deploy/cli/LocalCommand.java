package dev.catena.deploy.cli;

import dev.catena.deploy.local.LocalCluster;
import dev.catena.deploy.s3.GatewayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catena local}: a whole cluster on this machine, in the foreground until Ctrl-C. */
@Command(
    name = "local",
    description = "Run ZooKeeper, a manager and N node processes on this machine (Ctrl-C stops).")
final class LocalCommand implements Callable<Integer> {
  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "node processes (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(
      names = "--chain-length",
      defaultValue = "3",
      description = "replicas per chain (default ${DEFAULT-VALUE})")
  int chainLength;

  @Option(
      names = "--data",
      defaultValue = "data",
      description = "state directory (default ${DEFAULT-VALUE})")
  Path data;

  @Option(
      names = "--zk-port",
      defaultValue = "2181",
      description = "ZooKeeper client port (default ${DEFAULT-VALUE})")
  int zkPort;

  @Option(
      names = "--base-port",
      defaultValue = "7100",
      description = "node i listens on base+i (default ${DEFAULT-VALUE})")
  int basePort;

  @Option(
      names = "--admin-base-port",
      defaultValue = "9100",
      description =
          "the manager serves the dashboard (/), /metrics and /healthz on this port, node i"
              + " /metrics and /healthz on this port + i; -1 = none (default ${DEFAULT-VALUE})")
  int adminBasePort;

  @Option(
      names = "--cluster",
      defaultValue = "catena",
      description = "cluster name (default ${DEFAULT-VALUE})")
  String cluster;

  @Option(
      names = "--fsync",
      defaultValue = "group",
      description = "always | group | none (default ${DEFAULT-VALUE})")
  String fsync;

  @Option(
      names = "--session-timeout-ms",
      defaultValue = "4000",
      description = "ZooKeeper session timeout (default ${DEFAULT-VALUE})")
  long sessionTimeoutMs;

  @Option(
      names = "--s3-port",
      defaultValue = "9000",
      description = "S3 gateway port, -1 for none (default ${DEFAULT-VALUE})")
  int s3Port;

  /** The access key a local cluster makes for its S3 gateway (every bucket). */
  static final String LOCAL_S3_KEY = "catena-local";

  @Override
  public Integer call() throws Exception {
    var options =
        new LocalCluster.Options(
            data.toAbsolutePath(),
            nodes,
            chainLength,
            zkPort,
            basePort,
            cluster,
            Duration.ofMillis(sessionTimeoutMs),
            NodeCommand.parseFsync(fsync).name().toLowerCase(java.util.Locale.ROOT),
            adminBasePort);
    LocalCluster local = LocalCluster.start(options);
    var running = new java.util.ArrayDeque<AutoCloseable>(); // closed last-started first
    running.push(local);
    Foreground fg =
        Foreground.closeOnExit(
            () -> {
              for (AutoCloseable c : running) {
                c.close();
              }
            },
            "stopping Catena local cluster");
    System.out.println("ZooKeeper: " + local.zookeeper());
    if (adminBasePort >= 0) {
      System.out.printf("Dashboard: http://127.0.0.1:%d/%n", local.managerAdminPort());
      System.out.printf(
          "metrics and health: manager http://127.0.0.1:%d/metrics /healthz%n",
          local.managerAdminPort());
      for (int i = 1; i <= nodes; i++) {
        System.out.printf(
            "  node n%d http://127.0.0.1:%d/metrics /healthz%n", i, local.adminPort("n" + i));
      }
    }
    if (!local.awaitReady(Duration.ofSeconds(60))) {
      System.err.println("catena: cluster not ready after 60 s; see node logs under " + data);
      return 1;
    }
    if (s3Port >= 0) {
      GatewayProcess s3 =
          GatewayProcess.start(
              new GatewayProcess.Options(
                  local.zookeeper(), cluster, data.resolve("s3.key"), "127.0.0.1", s3Port, true));
      running.push(s3);
      var key = s3.ensureKey(LOCAL_S3_KEY);
      System.out.println("S3 gateway: " + s3.endpoint());
      System.out.println("  " + s3.awsConfigureHint(key));
    }
    System.out.printf(
        "Catena local cluster ready: %d nodes, chain length %d, data in %s (Ctrl-C to stop)%n",
        nodes, chainLength, data.toAbsolutePath());
    fg.await();
    return 0;
  }
}
