package dev.catena.deploy.node;

import dev.catena.chain.storage.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one storage node process.
 *
 * @param nodeId unique, stable id (survives restarts; data dir belongs to it)
 * @param host address to bind and advertise
 * @param port gRPC port (0 = any free port)
 * @param dataDir LevelDB metadata and chunk segments live below it
 * @param fsync durability policy of the storage engine
 * @param zookeeper ZooKeeper connect string
 * @param cluster cluster name
 * @param sessionTimeout ZooKeeper session timeout; the node's lease is two thirds of it
 * @param adminPort port of the admin endpoint ({@code /metrics}, {@code /healthz}) on {@code host};
 *     0 = any free port, -1 = none
 * @param scrubBytesPerSecond bound on the bytes the background scrubber re-reads per second
 */
public record NodeOptions(
    String nodeId,
    String host,
    int port,
    Path dataDir,
    FsyncPolicy fsync,
    String zookeeper,
    String cluster,
    Duration sessionTimeout,
    int adminPort,
    long scrubBytesPerSecond) {

  /** The scrubber's default rate: 16 MiB/s. */
  public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = 16L << 20;

  /** Settings without an admin endpoint, scrubbing at the default rate. */
  public NodeOptions(
      String nodeId,
      String host,
      int port,
      Path dataDir,
      FsyncPolicy fsync,
      String zookeeper,
      String cluster,
      Duration sessionTimeout) {
    this(
        nodeId,
        host,
        port,
        dataDir,
        fsync,
        zookeeper,
        cluster,
        sessionTimeout,
        -1,
        DEFAULT_SCRUB_BYTES_PER_SECOND);
  }
}
