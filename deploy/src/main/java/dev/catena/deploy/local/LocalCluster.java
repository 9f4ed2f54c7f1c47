package dev.catena.deploy.local;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.EmbeddedZooKeeper;
import dev.catena.deploy.zk.ManagerProcess;
import dev.catena.proto.v1.ClusterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code catena local}: a real ZooKeeper server and one manager in this JVM, and every storage node
 * as its own OS process running {@code catena node}. All state lives under one directory, so
 * starting again on it brings back every object.
 */
public final class LocalCluster implements AutoCloseable {
  /**
   * Options of a local cluster.
   *
   * @param adminBasePort the manager serves {@code /metrics} and {@code /healthz} on this port,
   *     node {@code n<i>} on this port plus {@code i}; -1 = no admin endpoints
   */
  public record Options(
      Path dataDir,
      int nodes,
      int chainLength,
      int zkPort,
      int basePort,
      String cluster,
      Duration sessionTimeout,
      String fsync,
      int adminBasePort) {

    /** Options without admin endpoints. */
    public Options(
        Path dataDir,
        int nodes,
        int chainLength,
        int zkPort,
        int basePort,
        String cluster,
        Duration sessionTimeout,
        String fsync) {
      this(dataDir, nodes, chainLength, zkPort, basePort, cluster, sessionTimeout, fsync, -1);
    }
  }

  private final Options options;
  private final NodeNetwork network;
  private final EmbeddedZooKeeper zk;
  private final ManagerProcess manager;
  private final Map<String, Process> processes = new LinkedHashMap<>();

  private LocalCluster(
      Options options, NodeNetwork network, EmbeddedZooKeeper zk, ManagerProcess manager) {
    this.options = options;
    this.network = network;
    this.zk = zk;
    this.manager = manager;
  }

  /** Starts ZooKeeper, the manager and the node processes; returns once they are started. */
  public static LocalCluster start(Options o) {
    return start(o, NodeNetwork.LOCALHOST);
  }

  /**
   * Like {@link #start(Options)}, with ZooKeeper bound to {@code network}'s address and every node
   * bound to, advertising and launched in its own place of {@code network}.
   */
  public static LocalCluster start(Options o, NodeNetwork network) {
    if (o.chainLength() < 1 || o.chainLength() > o.nodes()) {
      throw new IllegalArgumentException(
          "chain length " + o.chainLength() + " must be between 1 and the node count " + o.nodes());
    }
    try {
      Files.createDirectories(o.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + o.dataDir(), e);
    }
    var zk =
        EmbeddedZooKeeper.start(
            o.dataDir().resolve("zookeeper"),
            network.zookeeperHost(),
            o.zkPort(),
            EmbeddedZooKeeper.DEFAULT_TICK_MS);
    var settings =
        ClusterSettings.newBuilder()
            .setShardCount(1024)
            .setChainLength(o.chainLength())
            .setChunkSizeBytes(4L << 20)
            .setInlineThresholdBytes(256L << 10)
            .build();
    var manager =
        ManagerProcess.start(
            zk.connectString(),
            o.cluster(),
            "manager-1",
            settings,
            o.nodes(),
            o.sessionTimeout(),
            o.adminBasePort());
    var local = new LocalCluster(o, network, zk, manager);
    try {
      for (int i = 1; i <= o.nodes(); i++) {
        local.processes.put("n" + i, local.spawnNode("n" + i, o.basePort() + i));
      }
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
    return local;
  }

  /**
   * The command line of a storage node process on this JVM's class path: {@code catena node} with
   * the given settings, exiting when the launching process exits. JVM options in the environment
   * variable {@code CATENA_NODE_JAVA_OPTS} (separated by whitespace; e.g. a flight recording or GC
   * log for profiling) come after the default {@code -Xmx512m}, so they can override it.
   */
  public static List<String> nodeCommand(
      String id,
      int port,
      Path dataDir,
      String zookeeper,
      String cluster,
      String fsync,
      Duration sessionTimeout) {
    var cmd = new ArrayList<String>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx512m");
    String extra = System.getenv("CATENA_NODE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.catena.deploy.cli.CatenaCli");
    cmd.addAll(
        List.of(
            "node",
            "--id",
            id,
            "--port",
            Integer.toString(port),
            "--data",
            dataDir.toString(),
            "--zk",
            zookeeper,
            "--cluster",
            cluster,
            "--fsync",
            fsync,
            "--session-timeout-ms",
            Long.toString(sessionTimeout.toMillis()),
            "--exit-with-parent"));
    return cmd;
  }

  /**
   * Like {@link #nodeCommand(String, int, Path, String, String, String, Duration)}, with the node
   * bound to and advertising {@code host} ({@code --host}).
   */
  public static List<String> nodeCommand(
      String id,
      String host,
      int port,
      Path dataDir,
      String zookeeper,
      String cluster,
      String fsync,
      Duration sessionTimeout) {
    var cmd = nodeCommand(id, port, dataDir, zookeeper, cluster, fsync, sessionTimeout);
    int at = cmd.indexOf("--port");
    cmd.add(at, host);
    cmd.add(at, "--host");
    return cmd;
  }

  private Process spawnNode(String id, int port) {
    Path dir = options.dataDir().resolve(id);
    List<String> node =
        network == NodeNetwork.LOCALHOST
            ? nodeCommand(
                id,
                port,
                dir,
                zk.connectString(),
                options.cluster(),
                options.fsync(),
                options.sessionTimeout())
            : nodeCommand(
                id,
                network.nodeHost(id),
                port,
                dir,
                zk.connectString(),
                options.cluster(),
                options.fsync(),
                options.sessionTimeout());
    if (options.adminBasePort() >= 0) {
      node = new ArrayList<>(node);
      node.add("--admin-port");
      node.add(Integer.toString(adminPort(id)));
    }
    try {
      Files.createDirectories(dir);
      return new ProcessBuilder(network.launch(id, node))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + id, e);
    }
  }

  /**
   * Waits until every node is registered and every chain is configured.
   *
   * @return true if ready within {@code timeout}
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var admin = ClusterAdmin.connect(zk.connectString(), options.cluster())) {
      while (System.nanoTime() < deadline) {
        if (admin.isReady(options.nodes())) {
          return true;
        }
        for (Process p : processes.values()) {
          if (!p.isAlive()) {
            throw new IllegalStateException(
                "a node process exited with " + p.exitValue() + "; see its node.log");
          }
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
    return false;
  }

  public String zookeeper() {
    return zk.connectString();
  }

  /** The node processes, in id order. */
  public List<Process> processes() {
    return List.copyOf(processes.values());
  }

  /** The current process of each node, by node id, in id order. */
  public synchronized Map<String, Process> nodeProcesses() {
    return new LinkedHashMap<>(processes);
  }

  /** The admin port of node {@code n<i>} (the admin base port plus {@code i}), or -1. */
  public int adminPort(String id) {
    return options.adminBasePort() < 0
        ? -1
        : options.adminBasePort() + Integer.parseInt(id.substring(1));
  }

  /** The manager's admin port (the admin base port), or -1. */
  public int managerAdminPort() {
    return manager.adminPort();
  }

  /** The gRPC port of node {@code n<i>}: the base port plus {@code i}. */
  public int nodePort(String id) {
    return options.basePort() + Integer.parseInt(id.substring(1));
  }

  /**
   * Starts node {@code id} again on its data directory and port, after its process has exited.
   *
   * @throws IllegalStateException if the node is unknown or its process is still running
   */
  public synchronized Process restartNode(String id) {
    Process old = processes.get(id);
    if (old == null || old.isAlive()) {
      throw new IllegalStateException("node " + id + " is unknown or still running");
    }
    Process p = spawnNode(id, nodePort(id));
    processes.put(id, p);
    return p;
  }

  /** Starts one more node process, {@code n<count+1>}, which joins the running cluster. */
  public synchronized String addNode() {
    String id = "n" + (processes.size() + 1);
    processes.put(id, spawnNode(id, nodePort(id)));
    return id;
  }

  /** Stops the node processes (SIGTERM, then SIGKILL after 10 s), the manager and ZooKeeper. */
  @Override
  public void close() {
    processes.values().forEach(Process::destroy);
    for (Process p : processes.values()) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    manager.close();
    zk.close();
  }
}
