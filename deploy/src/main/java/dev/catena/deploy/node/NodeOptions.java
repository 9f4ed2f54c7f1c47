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
 */
public record NodeOptions(
    String nodeId,
    String host,
    int port,
    Path dataDir,
    FsyncPolicy fsync,
    String zookeeper,
    String cluster,
    Duration sessionTimeout) {}
