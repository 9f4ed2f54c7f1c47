package dev.catena.config.zk;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.catena.config.BucketExistsException;
import dev.catena.config.CasWrite;
import dev.catena.config.ClusterBootstrap;
import dev.catena.config.ClusterChangeListener;
import dev.catena.config.ClusterExistsException;
import dev.catena.config.ClusterNotFoundException;
import dev.catena.config.ClusterStateException;
import dev.catena.config.ClusterStateStore;
import dev.catena.config.ConfigUpdate;
import dev.catena.config.InvalidConfigException;
import dev.catena.config.NoSuchBucketException;
import dev.catena.config.PendingRequests;
import dev.catena.config.StaleVersionException;
import dev.catena.config.Subscription;
import dev.catena.config.Versioned;
import dev.catena.proto.ClusterPaths;
import dev.catena.proto.v1.BucketInfo;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * {@link ClusterStateStore} on ZooKeeper through Curator, using the layout of {@link ClusterPaths}
 * with protobuf-serialized values. Writes are {@code setData().withVersion} compare-and-sets or
 * {@code transaction().forOperations} multi-ops; the repeat-after-CONNECTION_LOSS rule of {@link
 * ClusterStateStore} is implemented by re-reading on NodeExists / BadVersion / NoNode and accepting
 * the write when the stored values equal the intended ones. Thread-safe; the caller owns (starts
 * and closes) the Curator client.
 */
public final class ZkClusterStore implements ClusterStateStore {
  private final CuratorFramework client;
  private final ClusterPaths paths;

  /**
   * @param client a started Curator client
   * @param clusterName the cluster's name (see {@link ClusterPaths})
   */
  public ZkClusterStore(CuratorFramework client, String clusterName) {
    this.client = client;
    this.paths = new ClusterPaths(clusterName);
  }

  public ClusterPaths paths() {
    return paths;
  }

  @Override
  public void createCluster(ClusterSettings settings) {
    ClusterBootstrap.validateSettings(settings);
    try {
      ZkCalls.keeper(
          "create /catena",
          () -> client.create().creatingParentsIfNeeded().forPath("/catena", new byte[0]));
    } catch (KeeperException.NodeExistsException e) {
      // Another cluster (or a repeat of this call) created it first, which is what we wanted.
    } catch (KeeperException e) {
      throw new ClusterStateException("create /catena", e);
    }
    try {
      ZkCalls.keeper(
          "create cluster",
          () ->
              client
                  .transaction()
                  .forOperations(
                      client.transactionOp().create().forPath(paths.root(), new byte[0]),
                      client
                          .transactionOp()
                          .create()
                          .forPath(paths.settings(), settings.toByteArray()),
                      client.transactionOp().create().forPath(paths.nodes(), new byte[0]),
                      client.transactionOp().create().forPath(paths.chains(), new byte[0]),
                      client.transactionOp().create().forPath(paths.buckets(), new byte[0]),
                      client.transactionOp().create().forPath(paths.sync(), new byte[0]),
                      client.transactionOp().create().forPath(paths.requests(), new byte[0]),
                      client.transactionOp().create().forPath(paths.removeRequests(), new byte[0]),
                      client
                          .transactionOp()
                          .create()
                          .forPath(paths.root() + "/manager", new byte[0]),
                      client.transactionOp().create().forPath(paths.locks(), new byte[0])));
    } catch (KeeperException e) {
      ClusterSettings existing = readSettings();
      if (!existing.equals(settings)) {
        throw new ClusterExistsException(
            "cluster " + paths.root() + " exists with other settings: " + existing);
      }
    }
  }

  @Override
  public ClusterSettings readSettings() {
    return read(paths.settings(), ClusterSettings.parser())
        .orElseThrow(() -> new ClusterNotFoundException("no cluster at " + paths.root()))
        .value();
  }

  @Override
  public Map<String, NodeInfo> readNodes() {
    Map<String, NodeInfo> nodes = new TreeMap<>();
    for (String id : children(paths.nodes())) {
      // A node may vanish between listing and reading: then it is simply not live any more.
      read(paths.nodes() + "/" + id, NodeInfo.parser()).ifPresent(v -> nodes.put(id, v.value()));
    }
    return nodes;
  }

  @Override
  public Optional<Versioned<ChainConfig>> readChain(int chainId) {
    return read(paths.chain(chainId), ChainConfig.parser());
  }

  @Override
  public Map<Integer, Versioned<ChainConfig>> readChains() {
    Map<Integer, Versioned<ChainConfig>> chains = new TreeMap<>();
    for (String child : children(paths.chains())) {
      int id;
      try {
        id = Integer.parseInt(child);
      } catch (NumberFormatException e) {
        throw new InvalidConfigException("unexpected znode under chains: " + child);
      }
      readChain(id).ifPresent(v -> chains.put(id, v));
    }
    return chains;
  }

  @Override
  public Optional<Versioned<ShardMap>> readShardMap() {
    return read(paths.shardMap(), ShardMap.parser());
  }

  @Override
  public void publish(ConfigUpdate update) {
    List<CuratorOp> ops = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    for (CasWrite<ChainConfig> w : update.chains()) {
      String path = paths.chain(w.value().getChainId());
      ops.add(op(path, w));
      targets.add(new Target(path, w.value(), ChainConfig.parser()));
    }
    update
        .shardMap()
        .ifPresent(
            w -> {
              ops.add(op(paths.shardMap(), w));
              targets.add(new Target(paths.shardMap(), w.value(), ShardMap.parser()));
            });
    try {
      ZkCalls.keeper("publish", () -> client.transaction().forOperations(ops));
    } catch (KeeperException e) {
      // Maybe a repeat of a multi-op that already took effect (CONNECTION_LOSS, then Curator's
      // retry): the transaction is atomic, so it took effect iff every target holds our value.
      requireCluster();
      for (Target t : targets) {
        Optional<? extends Versioned<? extends Message>> now = read(t.path, t.parser);
        if (now.isEmpty() || !now.get().value().equals(t.value)) {
          throw new StaleVersionException(
              "publish conflicts at " + t.path + " (" + e.code() + ")", e);
        }
      }
    }
  }

  @Override
  public void createBucket(BucketInfo bucket) {
    if (!ClusterPaths.isValidName(bucket.getName())) {
      throw new InvalidConfigException("invalid bucket name: '" + bucket.getName() + "'");
    }
    String path = paths.bucket(bucket.getName());
    try {
      ZkCalls.keeper("create bucket", () -> client.create().forPath(path, bucket.toByteArray()));
    } catch (KeeperException.NoNodeException e) {
      throw new ClusterNotFoundException("no cluster at " + paths.root());
    } catch (KeeperException e) {
      Optional<Versioned<BucketInfo>> existing = read(path, BucketInfo.parser());
      if (existing.isEmpty() || !existing.get().value().equals(bucket)) {
        throw new BucketExistsException("bucket exists: " + bucket.getName(), e);
      }
    }
  }

  @Override
  public BucketInfo readBucket(String name) {
    if (!ClusterPaths.isValidName(name)) {
      throw new NoSuchBucketException("no bucket named '" + name + "'");
    }
    return read(paths.bucket(name), BucketInfo.parser())
        .orElseThrow(() -> new NoSuchBucketException("no bucket named '" + name + "'"))
        .value();
  }

  @Override
  public List<String> listBuckets() {
    List<String> names = new ArrayList<>(children(paths.buckets()));
    names.sort(null);
    return names;
  }

  @Override
  public boolean deleteBucket(String name) {
    if (!ClusterPaths.isValidName(name)) {
      return false;
    }
    try {
      ZkCalls.keeper("delete bucket", () -> client.delete().forPath(paths.bucket(name)));
      return true;
    } catch (KeeperException.NoNodeException e) {
      requireCluster();
      return false;
    } catch (KeeperException e) {
      throw new ClusterStateException("delete bucket " + name, e);
    }
  }

  @Override
  public void writeSyncStatus(SyncStatus status) {
    if (!ClusterPaths.isValidName(status.getNodeId()) || status.getChainId() < 0) {
      throw new InvalidConfigException("invalid sync status key: " + status);
    }
    requireCluster();
    upsert(paths.syncStatus(status.getChainId(), status.getNodeId()), status.toByteArray());
  }

  /**
   * Publishes a node's storage figures at {@code stats/<nodeId>}, replacing the previous ones;
   * unconditional and safe to repeat.
   */
  public void writeStorageStats(dev.catena.proto.v1.NodeStorageStats stats) {
    requireCluster();
    upsert(paths.storageStats(stats.getNodeId()), stats.toByteArray());
  }

  /** The storage figures the nodes published, by node id. */
  public Map<String, dev.catena.proto.v1.NodeStorageStats> readStorageStats() {
    var out = new java.util.TreeMap<String, dev.catena.proto.v1.NodeStorageStats>();
    for (String node : childrenOrEmpty(paths.stats())) {
      read(paths.stats() + "/" + node, dev.catena.proto.v1.NodeStorageStats.parser())
          .ifPresent(v -> out.put(node, v.value()));
    }
    return out;
  }

  /** Sets {@code path} to {@code data}, creating it (and its parents) if missing. */
  private void upsert(String path, byte[] data) {
    // Bounded: each round either writes or loses a create/delete race with another writer.
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        ZkCalls.keeper("write " + path, () -> client.setData().forPath(path, data));
        return;
      } catch (KeeperException.NoNodeException e) {
        try {
          ZkCalls.keeper(
              "create " + path,
              () -> client.create().creatingParentsIfNeeded().forPath(path, data));
          return;
        } catch (KeeperException.NodeExistsException again) {
          // Created meanwhile (a repeat of our own create after CONNECTION_LOSS): set it.
        } catch (KeeperException other) {
          throw new ClusterStateException("create " + path, other);
        }
      } catch (KeeperException e) {
        throw new ClusterStateException("write " + path, e);
      }
    }
    throw new StaleVersionException(path + " keeps changing");
  }

  @Override
  public List<SyncStatus> readSyncStatuses() {
    List<SyncStatus> out = new ArrayList<>();
    for (String chain : childrenOrEmpty(paths.sync())) {
      for (String node : childrenOrEmpty(paths.sync() + "/" + chain)) {
        read(paths.sync() + "/" + chain + "/" + node, SyncStatus.parser())
            .ifPresent(v -> out.add(v.value()));
      }
    }
    return out;
  }

  @Override
  public boolean deleteSyncStatus(int chainId, String nodeId) {
    return delete(paths.syncStatus(chainId, nodeId));
  }

  @Override
  public void requestRemoveNode(String nodeId) {
    if (!ClusterPaths.isValidName(nodeId)) {
      throw new InvalidConfigException("invalid node id: '" + nodeId + "'");
    }
    createRequest(paths.removeRequest(nodeId));
  }

  @Override
  public void requestRebalance() {
    createRequest(paths.rebalanceRequest());
  }

  @Override
  public PendingRequests readRequests() {
    boolean rebalance =
        ZkCalls.run(
                "exists " + paths.rebalanceRequest(),
                () -> client.checkExists().forPath(paths.rebalanceRequest()))
            != null;
    return new PendingRequests(new TreeSet<>(childrenOrEmpty(paths.removeRequests())), rebalance);
  }

  @Override
  public boolean completeRemoveNode(String nodeId) {
    return ClusterPaths.isValidName(nodeId) && delete(paths.removeRequest(nodeId));
  }

  @Override
  public boolean completeRebalance() {
    return delete(paths.rebalanceRequest());
  }

  private void createRequest(String path) {
    requireCluster();
    try {
      ZkCalls.keeper(
          "create " + path,
          () -> client.create().creatingParentsIfNeeded().forPath(path, new byte[0]));
    } catch (KeeperException.NodeExistsException e) {
      // Already requested (or a repeat of this call after CONNECTION_LOSS): same state.
    } catch (KeeperException e) {
      throw new ClusterStateException("create " + path, e);
    }
  }

  private boolean delete(String path) {
    try {
      ZkCalls.keeper("delete " + path, () -> client.delete().forPath(path));
      return true;
    } catch (KeeperException.NoNodeException e) {
      return false;
    } catch (KeeperException e) {
      throw new ClusterStateException("delete " + path, e);
    }
  }

  private List<String> childrenOrEmpty(String path) {
    try {
      return ZkCalls.keeper("list " + path, () -> client.getChildren().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (KeeperException e) {
      throw new ClusterStateException("list " + path, e);
    }
  }

  @Override
  public Subscription watch(ClusterChangeListener listener) {
    ZkSubscription sub = new ZkSubscription(client, paths, listener);
    sub.start();
    return sub;
  }

  private CuratorOp op(String path, CasWrite<? extends Message> w) {
    byte[] data = w.value().toByteArray();
    return ZkCalls.run(
        "prepare " + path,
        () ->
            w.isCreate()
                ? client.transactionOp().create().forPath(path, data)
                : client
                    .transactionOp()
                    .setData()
                    .withVersion(w.expectedVersion())
                    .forPath(path, data));
  }

  private <M extends Message> Optional<Versioned<M>> read(String path, Parser<M> parser) {
    Stat stat = new Stat();
    try {
      byte[] data =
          ZkCalls.keeper("read " + path, () -> client.getData().storingStatIn(stat).forPath(path));
      return Optional.of(new Versioned<>(ZkCalls.parse(parser, data, path), stat.getVersion()));
    } catch (KeeperException e) {
      return Optional.empty();
    }
  }

  private List<String> children(String path) {
    try {
      return ZkCalls.keeper("list " + path, () -> client.getChildren().forPath(path));
    } catch (KeeperException e) {
      throw new ClusterNotFoundException("no cluster at " + paths.root());
    }
  }

  private void requireCluster() {
    Stat stat =
        ZkCalls.run(
            "exists " + paths.settings(), () -> client.checkExists().forPath(paths.settings()));
    if (stat == null) {
      throw new ClusterNotFoundException("no cluster at " + paths.root());
    }
  }

  private record Target(String path, Message value, Parser<? extends Message> parser) {}
}
