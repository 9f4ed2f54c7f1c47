package dev.catena.client.it;

import dev.catena.chain.runtime.DurableReplicaStore;
import dev.catena.chain.runtime.NodeFence;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.chain.transport.GrpcPeerTransport;
import dev.catena.chain.transport.NodeServer;
import dev.catena.client.zk.ClusterView;
import dev.catena.proto.ClusterPaths;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.ChainSpec;
import dev.catena.sharding.RotatedChainTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;

/**
 * A real cluster in one JVM: an in-process ZooKeeper ({@link TestingServer}), N storage nodes (gRPC
 * on localhost, LevelDB and segment files in a temporary directory) and the cluster records
 * (settings, nodes, rotated chains, shard map) written by hand, as the coordinator would write
 * them. Nodes receive the same chain configurations directly.
 */
public final class LocalCatenaCluster implements AutoCloseable {
  /** One storage node. */
  public record Node(
      String id,
      NodeRuntime runtime,
      NodeServer server,
      DurableReplicaStore store,
      GrpcPeerTransport peers) {}

  public static final String CLUSTER = "test";

  private final TestingServer zk;
  private final CuratorFramework curator;
  private final ClusterPaths paths = new ClusterPaths(CLUSTER);
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, NodeInfo> infos = new LinkedHashMap<>();
  private List<ChainConfig> chains = List.of();

  /**
   * Starts ZooKeeper and {@code n} nodes; {@code shards} shards over n rotated chains of {@code r}.
   */
  public LocalCatenaCluster(Path dir, int n, int r, int shards) throws Exception {
    zk = new TestingServer(true);
    curator =
        CuratorFrameworkFactory.newClient(
            zk.getConnectString(), 10_000, 5_000, new ExponentialBackoffRetry(50, 5));
    curator.start();
    curator.blockUntilConnected();
    for (int i = 1; i <= n; i++) {
      String id = "n" + i;
      Path d = dir.resolve(id);
      var store =
          new DurableReplicaStore(
              LevelDbObjectStore.open(d.resolve("meta"), FsyncPolicy.GROUP),
              SegmentChunkStore.open(d.resolve("chunks"), FsyncPolicy.GROUP, 64L << 20));
      var peers = new GrpcPeerTransport();
      var runtime = new NodeRuntime(id, store, peers, NodeFence.withoutSession(id), 256, 10_000);
      var server = NodeServer.start("127.0.0.1", 0, runtime, store, RequestLimits.defaults());
      nodes.put(id, new Node(id, runtime, server, store, peers));
      infos.put(
          id,
          NodeInfo.newBuilder().setNodeId(id).setHost("127.0.0.1").setPort(server.port()).build());
    }
    write(
        paths.settings(),
        ClusterSettings.newBuilder()
            .setShardCount(shards)
            .setChainLength(r)
            .setChunkSizeBytes(4 << 20)
            .setInlineThresholdBytes(256 << 10)
            .build()
            .toByteArray());
    for (NodeInfo info : infos.values()) {
      write(paths.node(info.getNodeId()), info.toByteArray());
    }
    configure(rotated(r, 1));
    var sm = ShardMap.newBuilder().setVersion(1).setShardCount(shards);
    for (int s = 0; s < shards; s++) {
      sm.addChainIds(s % n);
    }
    write(paths.shardMap(), sm.build().toByteArray());
  }

  /** Rotated chains of length r (DESIGN §3): chain i = (n_i, …, n_{i+r-1}). */
  public List<ChainConfig> rotated(int r, long epoch) {
    var out = new ArrayList<ChainConfig>();
    for (ChainSpec spec : RotatedChainTable.build(new ArrayList<>(nodes.keySet()), r)) {
      var b = ChainConfig.newBuilder().setChainId(spec.chainId()).setEpoch(epoch);
      spec.members()
          .forEach(
              n ->
                  b.addMembers(ChainMember.newBuilder().setNodeId(n).setState(MemberState.ACTIVE)));
      out.add(b.build());
    }
    return out;
  }

  /** Writes the chain records to ZooKeeper and installs them on every node. */
  public void configure(List<ChainConfig> chains) throws Exception {
    publish(chains);
    applyOnNodes(chains);
  }

  /** Writes the chain records to ZooKeeper only. */
  public void publish(List<ChainConfig> chains) throws Exception {
    this.chains = List.copyOf(chains);
    for (ChainConfig c : chains) {
      write(paths.chain(c.getChainId()), c.toByteArray());
    }
  }

  /** Installs chain configurations on every node only. */
  public void applyOnNodes(List<ChainConfig> chains) {
    nodes.values().forEach(n -> n.runtime().applyConfiguration(infos, chains));
  }

  private void write(String path, byte[] data) throws Exception {
    if (curator.checkExists().forPath(path) == null) {
      curator.create().creatingParentsIfNeeded().forPath(path, data);
    } else {
      curator.setData().forPath(path, data);
    }
  }

  public List<ChainConfig> chains() {
    return chains;
  }

  public CuratorFramework curator() {
    return curator;
  }

  public String connectString() {
    return zk.getConnectString();
  }

  /** A view of this cluster over the fixture's Curator client. */
  public ClusterView openView() {
    return new ClusterView(curator, CLUSTER);
  }

  @Override
  public void close() throws IOException {
    for (Node n : nodes.values()) {
      n.server().close();
      n.runtime().close();
      n.peers().close();
      n.store().close();
    }
    curator.close();
    zk.close();
  }
}
