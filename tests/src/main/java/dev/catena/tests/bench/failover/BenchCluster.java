package dev.catena.tests.bench.failover;

import dev.catena.config.Subscription;
import dev.catena.config.Versioned;
import dev.catena.config.zk.CuratorClients;
import dev.catena.config.zk.ZkClusterStore;
import dev.catena.deploy.local.LocalCluster;
import dev.catena.deploy.zk.EmbeddedZooKeeper;
import dev.catena.deploy.zk.ManagerProcess;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * A local Catena cluster for benchmarks, like {@code catena local} but with control over single
 * nodes: a real ZooKeeper server and one manager in this JVM, each storage node its own OS process
 * ({@code catena node … --exit-with-parent}) that can be killed with SIGKILL, restarted on its data
 * directory, or added later. Node {@code n<i>} listens on {@code basePort + i}. Node processes get
 * this JVM's class path, so this JVM must be started with every Catena module on it.
 */
public final class BenchCluster implements AutoCloseable {
  /** How to start the cluster. */
  public record Options(
      Path dataDir,
      int nodes,
      int chainLength,
      int zkPort,
      int basePort,
      Duration sessionTimeout,
      String fsync) {}

  static final String CLUSTER = "catena";

  private final Options options;
  private final EmbeddedZooKeeper zk;
  private final ManagerProcess manager;
  private final CuratorFramework curator;
  private final ZkClusterStore store;
  private final Map<String, Process> processes = new TreeMap<>();

  private BenchCluster(
      Options options, EmbeddedZooKeeper zk, ManagerProcess manager, CuratorFramework curator) {
    this.options = options;
    this.zk = zk;
    this.manager = manager;
    this.curator = curator;
    this.store = new ZkClusterStore(curator, CLUSTER);
  }

  /** Starts ZooKeeper, the manager (bootstrap after {@code nodes} nodes) and nodes n1..nN. */
  public static BenchCluster start(Options o) {
    try {
      Files.createDirectories(o.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + o.dataDir(), e);
    }
    var zk =
        EmbeddedZooKeeper.start(
            o.dataDir().resolve("zookeeper"),
            "127.0.0.1",
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
            zk.connectString(), CLUSTER, "manager-1", settings, o.nodes(), o.sessionTimeout());
    CuratorFramework c =
        CuratorClients.newClient(
            zk.connectString(), Duration.ofSeconds(30), Duration.ofSeconds(10));
    c.start();
    var cluster = new BenchCluster(o, zk, manager, c);
    for (int i = 1; i <= o.nodes(); i++) {
      cluster.startNode("n" + i);
    }
    return cluster;
  }

  /** Starts (or restarts, on its existing data directory) node {@code id} = {@code n<i>}. */
  public synchronized void startNode(String id) {
    Process old = processes.get(id);
    if (old != null && old.isAlive()) {
      throw new IllegalStateException("node " + id + " is running");
    }
    int port = options.basePort() + Integer.parseInt(id.substring(1));
    Path dir = nodeDir(id);
    List<String> cmd =
        LocalCluster.nodeCommand(
            id, port, dir, zk.connectString(), CLUSTER, options.fsync(), options.sessionTimeout());
    try {
      Files.createDirectories(dir);
      processes.put(
          id,
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + id, e);
    }
  }

  /**
   * Kills node {@code id} with SIGKILL and waits for the process to be gone.
   *
   * @return {@link System#nanoTime()} just before the signal was sent
   */
  public long kill(String id) throws InterruptedException {
    Process p;
    synchronized (this) {
      p = processes.get(id);
    }
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    long t = System.nanoTime();
    p.destroyForcibly();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + id + " survived SIGKILL");
    }
    return t;
  }

  /**
   * Stops node {@code id} like an operator would (SIGTERM: it closes its ZooKeeper session, so its
   * registration vanishes at once; SIGKILL after 10 s) and waits for the process to be gone.
   */
  public void stop(String id) {
    Process p;
    synchronized (this) {
      p = processes.get(id);
    }
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    Processes.stopAll(List.of(p));
  }

  /** Node id → OS pid of every node process started so far (running or not). */
  public synchronized Map<String, Long> pids() {
    var out = new TreeMap<String, Long>();
    processes.forEach((id, p) -> out.put(id, p.pid()));
    return out;
  }

  /** The node's data directory. */
  public Path nodeDir(String id) {
    return options.dataDir().resolve(id);
  }

  /** The cluster name the nodes and the manager use in ZooKeeper. */
  public String clusterName() {
    return CLUSTER;
  }

  public String zookeeper() {
    return zk.connectString();
  }

  public Duration sessionTimeout() {
    return options.sessionTimeout();
  }

  /** The chain configurations now in ZooKeeper, by chain id. */
  public Map<Integer, ChainConfig> chains() {
    var out = new TreeMap<Integer, ChainConfig>();
    for (Versioned<ChainConfig> v : store.readChains().values()) {
      out.put(v.value().getChainId(), v.value());
    }
    return out;
  }

  /** One chain's configuration. */
  public ChainConfig chain(int chainId) {
    return store
        .readChain(chainId)
        .map(Versioned::value)
        .orElseThrow(() -> new IllegalStateException("no chain " + chainId));
  }

  /** The published shard map. */
  public ShardMap shardMap() {
    return store
        .readShardMap()
        .map(Versioned::value)
        .orElseThrow(() -> new IllegalStateException("no shard map yet"));
  }

  /** Ids of the registered (live) nodes. */
  public Set<String> liveNodes() {
    return store.readNodes().keySet();
  }

  /**
   * Calls {@code onChange} whenever ZooKeeper reports a change to nodes, chains, sync reports or
   * the rest of the cluster state (a persistent watch; the callback runs on Curator's event thread
   * and should only signal a waiting reader).
   */
  public Subscription onChange(Runnable onChange) {
    return store.watch(change -> onChange.run());
  }

  /** Join progress reports of SYNCING members. */
  public List<SyncStatus> syncStatuses() {
    return store.readSyncStatuses();
  }

  /**
   * Polls {@code condition} every {@code pollMillis} until it holds or {@code timeout} passes.
   *
   * @return true if the condition held in time
   */
  public boolean await(BooleanSupplier condition, Duration timeout, long pollMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(pollMillis);
    }
    return condition.getAsBoolean();
  }

  /** Waits until {@code nodes} nodes are registered and the shard map is published. */
  public boolean awaitReady(int nodes, Duration timeout) throws InterruptedException {
    return await(
        () -> {
          try {
            return liveNodes().size() >= nodes && store.readShardMap().isPresent();
          } catch (RuntimeException e) {
            return false;
          }
        },
        timeout,
        100);
  }

  /** Stops the node processes (SIGTERM, then SIGKILL after 10 s), the manager and ZooKeeper. */
  @Override
  public synchronized void close() {
    Processes.stopAll(processes.values());
    curator.close();
    manager.close();
    zk.close();
  }
}
