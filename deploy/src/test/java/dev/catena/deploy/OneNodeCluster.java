package dev.catena.deploy;

import static org.awaitility.Awaitility.await;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.client.BucketExistsException;
import dev.catena.client.CatenaClient;
import dev.catena.deploy.node.NodeOptions;
import dev.catena.deploy.node.StorageNode;
import dev.catena.deploy.zk.ManagerProcess;
import dev.catena.proto.v1.ClusterSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.TestingServer;

/**
 * A real one-node cluster in this JVM for the deploy module's tests: a Curator {@link
 * TestingServer}, a {@link ManagerProcess} and one {@link StorageNode} (LevelDB and segment files
 * under the given directory, gRPC on a free localhost port), chains of one, 16 shards. {@link
 * #start} returns once a bucket can be created and written through a real client.
 */
public final class OneNodeCluster implements AutoCloseable {
  public static final String CLUSTER = "catena-test";

  private final TestingServer zk;
  private final ManagerProcess manager;
  private final StorageNode node;

  private OneNodeCluster(TestingServer zk, ManagerProcess manager, StorageNode node) {
    this.zk = zk;
    this.manager = manager;
    this.node = node;
  }

  /** Starts the cluster under {@code dir} and waits until {@code bucket} exists and takes a put. */
  public static OneNodeCluster start(Path dir, String bucket) throws Exception {
    return start(dir, bucket, -1);
  }

  /**
   * Like {@link #start(Path, String)}, with admin endpoints on the node and the manager ({@code
   * adminPort} 0 = free ports, -1 = none).
   */
  public static OneNodeCluster start(Path dir, String bucket, int adminPort) throws Exception {
    var zk = new TestingServer(true);
    var settings =
        ClusterSettings.newBuilder()
            .setShardCount(16)
            .setChainLength(1)
            .setChunkSizeBytes(4L << 20)
            .setInlineThresholdBytes(256L << 10)
            .build();
    Duration session = Duration.ofSeconds(6);
    var manager =
        ManagerProcess.start(zk.getConnectString(), CLUSTER, "m1", settings, 1, session, adminPort);
    var node =
        StorageNode.start(
            new NodeOptions(
                "n1",
                "127.0.0.1",
                0,
                dir.resolve("n1"),
                FsyncPolicy.GROUP,
                zk.getConnectString(),
                CLUSTER,
                session,
                adminPort,
                NodeOptions.DEFAULT_SCRUB_BYTES_PER_SECOND));
    var cluster = new OneNodeCluster(zk, manager, node);
    try (CatenaClient c = cluster.client()) {
      await("a put through the node")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(
              () -> {
                try {
                  c.createBucket(bucket);
                } catch (BucketExistsException e) {
                  // created by an earlier attempt whose answer was lost
                }
                c.putObject(bucket, "probe", new byte[] {1});
                return true;
              });
    }
    return cluster;
  }

  public String connectString() {
    return zk.getConnectString();
  }

  public ManagerProcess manager() {
    return manager;
  }

  public StorageNode node() {
    return node;
  }

  /** A new client of the cluster (the caller closes it). */
  public CatenaClient client() {
    return CatenaClient.builder()
        .zookeeper(zk.getConnectString())
        .cluster(CLUSTER)
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Override
  public void close() throws Exception {
    node.close();
    manager.close();
    zk.close();
  }
}
