package dev.catena.deploy.cli;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.deploy.node.NodeOptions;
import dev.catena.deploy.node.StorageNode;
import dev.catena.proto.ClusterPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code catena node}: one storage node in the foreground. */
@Command(name = "node", description = "Run one storage node.")
class NodeCommand implements Callable<Integer> {
  @Option(names = "--id", required = true, description = "node id (stable across restarts)")
  String id;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "address to bind and advertise")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "gRPC port (0 = any)")
  int port;

  @Option(names = "--data", required = true, description = "data directory")
  Path data;

  @Mixin ZooKeeperOptions where;

  @Option(names = "--fsync", defaultValue = "group", description = "always | group | none")
  String fsync;

  @Option(
      names = "--session-timeout-ms",
      defaultValue = "4000",
      description = "ZooKeeper session timeout")
  long sessionTimeoutMs;

  @Option(
      names = "--admin-port",
      defaultValue = "-1",
      description =
          "serve /metrics (Prometheus) and /healthz on this port of --host; 0 = any free port,"
              + " -1 = none (default)")
  int adminPort;

  @Option(
      names = "--scrub-mb-per-s",
      defaultValue = "16",
      description =
          "bound on the MB/s the background scrubber re-reads to verify checksums"
              + " (default ${DEFAULT-VALUE})")
  long scrubMbPerSecond;

  @Option(names = "--exit-with-parent", description = "exit when the launching process exits")
  boolean exitWithParent;

  /** Hook for subclasses: runs once the node serves, before waiting for shutdown. */
  void afterStart() throws InterruptedException {}

  static FsyncPolicy parseFsync(String s) {
    try {
      return FsyncPolicy.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--fsync must be always, group or none, not '" + s + "'");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (!ClusterPaths.isValidName(id)) {
      throw new IllegalArgumentException("invalid node id '" + id + "'");
    }
    if (scrubMbPerSecond < 1) {
      throw new IllegalArgumentException("--scrub-mb-per-s must be at least 1");
    }
    var options =
        new NodeOptions(
            id,
            host,
            port,
            data,
            parseFsync(fsync),
            where.zk,
            where.cluster,
            Duration.ofMillis(sessionTimeoutMs),
            adminPort,
            scrubMbPerSecond << 20);
    StorageNode node = StorageNode.start(options);
    Foreground fg = Foreground.closeOnExit(node, null);
    if (exitWithParent) {
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    }
    System.out.printf("node %s serving on %s:%d%n", id, host, node.port());
    if (node.adminPort() >= 0) {
      System.out.printf(
          "node %s admin: http://%s:%d/metrics and /healthz%n", id, host, node.adminPort());
    }
    afterStart();
    fg.await();
    return 0;
  }
}
