package dev.catena.config.zk;

import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;

/** Shared helpers for tests against an in-process ZooKeeper server on localhost. */
final class ZkTestSupport {
  static final Duration SESSION = Duration.ofSeconds(6);
  static final ClusterSettings SETTINGS =
      ClusterSettings.newBuilder()
          .setShardCount(64)
          .setChainLength(3)
          .setChunkSizeBytes(4 << 20)
          .setInlineThresholdBytes(256 << 10)
          .build();
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private ZkTestSupport() {}

  static CuratorFramework client(TestingServer server) throws InterruptedException {
    CuratorFramework c =
        CuratorClients.newClient(server.getConnectString(), SESSION, Duration.ofSeconds(3));
    c.start();
    if (!c.blockUntilConnected(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no connection to the test server");
    }
    return c;
  }

  /** A cluster name not used by any other test in this JVM. */
  static String freshCluster() {
    return "test-" + CLUSTERS.incrementAndGet();
  }

  static NodeInfo node(String id) {
    return NodeInfo.newBuilder()
        .setNodeId(id)
        .setHost("127.0.0.1")
        .setPort(7000)
        .setCapacityBytes(1L << 30)
        .build();
  }

  /** Registers a node the way a node agent does, on the given client's session. */
  static void register(CuratorFramework client, ZkClusterStore store, String id) throws Exception {
    client
        .create()
        .withMode(CreateMode.EPHEMERAL)
        .forPath(
            store.paths().node(id),
            node(id).toBuilder().setIncarnation("i1").build().toByteArray());
  }
}
