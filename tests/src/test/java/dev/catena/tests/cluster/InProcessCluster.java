package dev.catena.tests.cluster;

import static org.awaitility.Awaitility.await;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.client.BucketExistsException;
import dev.catena.client.CatenaClient;
import dev.catena.client.CatenaClientBuilder;
import dev.catena.config.Versioned;
import dev.catena.config.zk.CuratorClients;
import dev.catena.config.zk.ZkClusterStore;
import dev.catena.deploy.node.NodeOptions;
import dev.catena.deploy.node.StorageNode;
import dev.catena.deploy.zk.ManagerProcess;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.KeyHasher;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A whole Catena cluster in one JVM, wired exactly as in production: an in-process ZooKeeper server
 * (Curator {@link TestingServer}, data kept on disk under {@code dataDir/zookeeper}), one or more
 * coordinators ({@link ManagerProcess}: cluster record, leader election, bootstrap) and N storage
 * nodes ({@link StorageNode}: LevelDB + segment files under {@code dataDir/<nodeId>}, gRPC on a
 * localhost port, ZooKeeper membership through the node agent). Nothing is written by hand: the
 * chain table and shard map are the coordinator's.
 *
 * <p>Node ids are {@code n1 … nN}. A node keeps the port it first bound, so a restarted node comes
 * back at the same address with the same data. {@link #awaitReady()} creates the bucket {@link
 * #PROBE_BUCKET} and writes one probe object per chain. Not thread-safe: drive it from one test
 * thread; clients it hands out are thread-safe.
 */
public final class InProcessCluster implements AutoCloseable {
  /** Bucket holding the readiness probes (one key per chain). */
  public static final String PROBE_BUCKET = "catena-probe";

  private final Builder options;
  private final TestingServer zk;
  private final List<ManagerProcess> managers = new ArrayList<>();
  private final Map<String, StorageNode> nodes = new TreeMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private CuratorFramework admin;
  private ZkClusterStore store;

  private InProcessCluster(Builder options, TestingServer zk) {
    this.options = options;
    this.zk = zk;
  }

  /** A builder with 3 nodes, chains of 3, GROUP fsync, 6 s sessions and one manager. */
  public static Builder builder() {
    return new Builder();
  }

  /** Node ids in order: {@code n1 … nN}. */
  public List<String> nodeIds() {
    var ids = new ArrayList<String>();
    for (int i = 1; i <= options.nodes; i++) {
      ids.add("n" + i);
    }
    return ids;
  }

  /** ZooKeeper connect string (localhost). */
  public String connectString() {
    return zk.getConnectString();
  }

  /** The cluster's name in ZooKeeper. */
  public String clusterName() {
    return options.cluster;
  }

  /** A new client of this cluster (the caller closes it). */
  public CatenaClient client() {
    return clientBuilder().build();
  }

  /** A client builder pointed at this cluster, for tests that tune the client. */
  public CatenaClientBuilder clientBuilder() {
    return CatenaClient.builder()
        .zookeeper(zk.getConnectString())
        .cluster(options.cluster)
        .sessionTimeout(options.sessionTimeout)
        .requestTimeout(Duration.ofSeconds(30));
  }

  /** The chain configurations currently published in ZooKeeper, by chain id. */
  public Map<Integer, ChainConfig> chains() {
    var out = new TreeMap<Integer, ChainConfig>();
    for (Versioned<ChainConfig> v : store.readChains().values()) {
      out.put(v.value().getChainId(), v.value());
    }
    return out;
  }

  /** The published shard map, if any. */
  public Optional<ShardMap> shardMap() {
    return store.readShardMap().map(Versioned::value);
  }

  /** Ids of the nodes registered in ZooKeeper right now. */
  public List<String> registeredNodes() {
    return List.copyOf(new TreeMap<>(store.readNodes()).keySet());
  }

  /** The running node {@code id}; {@link NoSuchElementException} if it is stopped or unknown. */
  public StorageNode node(String id) {
    StorageNode n = nodes.get(id);
    if (n == null) {
      throw new NoSuchElementException("node " + id + " is not running");
    }
    return n;
  }

  /**
   * Waits (up to the builder's ready timeout) until every node is registered, the shard map is
   * published, every chain has a configuration, and the head of every chain the shard map names
   * acknowledges a probe write through a real client.
   */
  public void awaitReady() {
    Duration timeout = options.readyTimeout;
    await("all nodes registered and shard map published")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(this::configured);
    try (CatenaClient probe = clientBuilder().requestTimeout(Duration.ofSeconds(5)).build()) {
      await("probe bucket")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsMatching(e -> !(e instanceof BucketExistsException))
          .until(() -> createProbeBucket(probe));
      ShardMap map = shardMap().orElseThrow();
      for (int chain : new TreeSet<>(map.getChainIdsList())) {
        String key = probeKeyFor(map, chain);
        byte[] payload = ("probe of chain " + chain).getBytes(StandardCharsets.UTF_8);
        await("a write through the head of chain " + chain)
            .atMost(timeout)
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptions()
            .until(
                () -> {
                  probe.putObject(PROBE_BUCKET, key, payload);
                  return true;
                });
      }
    }
  }

  private boolean configured() {
    if (!registeredNodes().containsAll(nodeIds())) {
      return false;
    }
    Optional<ShardMap> map = shardMap();
    if (map.isEmpty()) {
      return false;
    }
    Map<Integer, ChainConfig> chains = chains();
    return chains.keySet().containsAll(map.get().getChainIdsList());
  }

  private static boolean createProbeBucket(CatenaClient c) {
    try {
      c.createBucket(PROBE_BUCKET);
    } catch (BucketExistsException e) {
      // Created before (an earlier awaitReady, or a retried create): that is the state we want.
    }
    return true;
  }

  /** The first key {@code probe-<i>} that the shard map routes to {@code chain}. */
  static String probeKeyFor(ShardMap map, int chain) {
    for (int i = 0; i < 1_000_000; i++) {
      String key = "probe-" + i;
      if (map.getChainIds(KeyHasher.shardOf(PROBE_BUCKET, key, map.getShardCount())) == chain) {
        return key;
      }
    }
    throw new IllegalStateException("no shard of chain " + chain + " in the shard map");
  }

  /**
   * Waits until node {@code id} is an ACTIVE member of every chain (e.g. after a restart: it has
   * rejoined each as SYNCING and been promoted).
   */
  public void awaitActiveInEveryChain(String id, Duration timeout) {
    await(id + " ACTIVE in every chain")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                chains().values().stream()
                    .allMatch(
                        c ->
                            c.getMembersList().stream()
                                .anyMatch(
                                    m ->
                                        m.getNodeId().equals(id)
                                            && m.getState()
                                                == dev.catena.proto.v1.MemberState.ACTIVE)));
  }

  /** Stops one node (closes its session, so its registration disappears at once). */
  public void stopNode(String id) {
    StorageNode n = nodes.remove(id);
    if (n == null) {
      throw new NoSuchElementException("node " + id + " is not running");
    }
    n.close();
  }

  /** Starts a stopped node again on its old port and data directory. */
  public void restartNode(String id) {
    if (nodes.containsKey(id)) {
      throw new IllegalStateException("node " + id + " is running");
    }
    if (!ports.containsKey(id)) {
      throw new NoSuchElementException("unknown node " + id);
    }
    startNode(id);
  }

  /**
   * Stops every node and manager and the ZooKeeper server, then starts ZooKeeper again on the same
   * data directory and port, the managers and the nodes on their old data. Call {@link
   * #awaitReady()} afterwards.
   */
  public void restartAll() {
    for (String id : List.copyOf(nodes.keySet())) {
      stopNode(id);
    }
    managers.forEach(ManagerProcess::close);
    managers.clear();
    admin.close();
    try {
      zk.stop();
      zk.restart();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("ZooKeeper did not restart", e);
    }
    connectAdmin();
    startManagers();
    for (String id : ports.keySet()) {
      startNode(id);
    }
  }

  private void connectAdmin() {
    admin =
        CuratorClients.newClient(
            zk.getConnectString(), options.sessionTimeout, options.sessionTimeout);
    admin.start();
    store = new ZkClusterStore(admin, options.cluster);
  }

  private void startManagers() {
    var settings =
        ClusterSettings.newBuilder()
            .setShardCount(options.shardCount)
            .setChainLength(options.chainLength)
            .setChunkSizeBytes(4L << 20)
            .setInlineThresholdBytes(256L << 10)
            .build();
    for (int i = 1; i <= options.managers; i++) {
      managers.add(
          ManagerProcess.start(
              zk.getConnectString(),
              options.cluster,
              "manager-" + i,
              settings,
              options.nodes,
              options.sessionTimeout,
              options.adminPorts ? 0 : -1));
    }
  }

  /**
   * The admin port (dashboard, {@code /metrics}) of the first manager; -1 unless the builder asked
   * for {@link Builder#adminPorts()}.
   */
  public int managerAdminPort() {
    return managers.get(0).adminPort();
  }

  private void startNode(String id) {
    Path dir = options.dataDir.resolve(id);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var node =
        StorageNode.start(
            new NodeOptions(
                id,
                "127.0.0.1",
                ports.getOrDefault(id, 0),
                dir,
                options.fsync,
                zk.getConnectString(),
                options.cluster,
                options.sessionTimeout,
                options.adminPorts ? 0 : -1,
                NodeOptions.DEFAULT_SCRUB_BYTES_PER_SECOND),
            new StorageNode.Tuning(
                store -> options.wrapMetadata.apply(id, store),
                options.segmentBytes,
                options.compactionInterval,
                StorageNode.Tuning.DEFAULT.compactionBytesPerSecond(),
                Duration.ofSeconds(1)));
    ports.put(id, node.port());
    nodes.put(id, node);
  }

  /** Stops nodes, managers and ZooKeeper (data stays in the data directory). */
  @Override
  public void close() {
    RuntimeException first = null;
    for (StorageNode n : nodes.values()) {
      first = closeQuietly(n::close, first);
    }
    nodes.clear();
    for (ManagerProcess m : managers) {
      first = closeQuietly(m::close, first);
    }
    managers.clear();
    if (admin != null) {
      first = closeQuietly(admin::close, first);
    }
    first =
        closeQuietly(
            () -> {
              try {
                zk.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            first);
    if (first != null) {
      throw first;
    }
  }

  private static RuntimeException closeQuietly(Runnable r, RuntimeException first) {
    try {
      r.run();
      return first;
    } catch (RuntimeException e) {
      if (first == null) {
        return e;
      }
      first.addSuppressed(e);
      return first;
    }
  }

  /** Options of an {@link InProcessCluster}; {@link #start()} builds and starts it. */
  public static final class Builder {
    private int nodes = 3;
    private int chainLength = 3;
    private int managers = 1;
    private int shardCount = 64;
    private FsyncPolicy fsync = FsyncPolicy.GROUP;
    private Duration sessionTimeout = Duration.ofSeconds(6);
    private Duration readyTimeout = Duration.ofSeconds(60);
    private String cluster = "it";
    private Path dataDir;
    private java.util.function.BiFunction<String, ObjectStore, ObjectStore> wrapMetadata =
        (id, store) -> store;
    private long segmentBytes = StorageNode.Tuning.DEFAULT.segmentBytes();
    private Duration compactionInterval = StorageNode.Tuning.DEFAULT.compactionInterval();
    private boolean adminPorts;

    /**
     * Gives the managers and nodes admin endpoints on free ports: {@code /metrics}, {@code
     * /healthz} and the managers' dashboard ({@link InProcessCluster#managerAdminPort()}).
     */
    public Builder adminPorts() {
      this.adminPorts = true;
      return this;
    }

    /** Size at which nodes roll their chunk segment files. */
    public Builder segmentBytes(long bytes) {
      this.segmentBytes = bytes;
      return this;
    }

    /** Time between background compaction passes on every node. */
    public Builder compactionInterval(Duration d) {
      this.compactionInterval = Objects.requireNonNull(d, "compactionInterval");
      return this;
    }

    private Builder() {}

    /**
     * Passes every node's metadata store through {@code wrap} (node id, real store) before the node
     * uses it: a fault-injection test returns a store whose disk fails on cue.
     */
    public Builder wrapMetadata(
        java.util.function.BiFunction<String, ObjectStore, ObjectStore> wrap) {
      this.wrapMetadata = Objects.requireNonNull(wrap, "wrap");
      return this;
    }

    /** Number of storage nodes (≥ 1). */
    public Builder nodes(int n) {
      this.nodes = n;
      return this;
    }

    /** Chain length R (1 ≤ R ≤ nodes); the coordinator builds N rotated chains of R. */
    public Builder chainLength(int r) {
      this.chainLength = r;
      return this;
    }

    /** Coordinators competing for leadership (1 or more). */
    public Builder managers(int m) {
      this.managers = m;
      return this;
    }

    /** Shards of the shard map. */
    public Builder shardCount(int s) {
      this.shardCount = s;
      return this;
    }

    /** Durability policy of every node's storage engine. */
    public Builder fsync(FsyncPolicy p) {
      this.fsync = Objects.requireNonNull(p, "fsync");
      return this;
    }

    /** ZooKeeper session timeout of nodes and managers (lease = 2/3 of it). */
    public Builder sessionTimeout(Duration d) {
      this.sessionTimeout = Objects.requireNonNull(d, "sessionTimeout");
      return this;
    }

    /** Upper bound of each wait in {@link InProcessCluster#awaitReady()}. */
    public Builder readyTimeout(Duration d) {
      this.readyTimeout = Objects.requireNonNull(d, "readyTimeout");
      return this;
    }

    /** Cluster name in ZooKeeper. */
    public Builder cluster(String name) {
      this.cluster = Objects.requireNonNull(name, "cluster");
      return this;
    }

    /** Directory for ZooKeeper's and every node's data (required). */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dataDir");
      return this;
    }

    /**
     * Starts ZooKeeper, the managers and the nodes; does not wait for readiness.
     *
     * @throws IllegalArgumentException if an option is out of range or no data dir was given
     */
    public InProcessCluster start() {
      if (dataDir == null) {
        throw new IllegalArgumentException("dataDir is required");
      }
      if (nodes < 1 || chainLength < 1 || chainLength > nodes) {
        throw new IllegalArgumentException(
            "need 1 <= chainLength (" + chainLength + ") <= nodes (" + nodes + ")");
      }
      if (managers < 1 || shardCount < 1) {
        throw new IllegalArgumentException("need at least one manager and one shard");
      }
      TestingServer zk;
      try {
        File zkDir = dataDir.resolve("zookeeper").toFile();
        Files.createDirectories(zkDir.toPath());
        // tick 500 ms: ZooKeeper accepts session timeouts from 1 s to 10 s.
        zk = new TestingServer(new InstanceSpec(zkDir, -1, -1, -1, false, -1, 500, -1), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("ZooKeeper did not start", e);
      }
      var c = new InProcessCluster(this, zk);
      try {
        c.connectAdmin();
        c.startManagers();
        for (String id : c.nodeIds()) {
          c.startNode(id);
        }
      } catch (RuntimeException e) {
        try {
          c.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      return c;
    }
  }
}
