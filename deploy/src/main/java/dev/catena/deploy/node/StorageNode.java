package dev.catena.deploy.node;

import dev.catena.chain.runtime.DurableReplicaStore;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.chain.transport.GrpcPeerTransport;
import dev.catena.chain.transport.NodeServer;
import dev.catena.deploy.zk.ZkMembership;
import dev.catena.proto.v1.NodeInfo;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One storage node: storage engine, event-loop runtime, gRPC server and ZooKeeper membership,
 * started in dependency order and closed in reverse.
 */
public final class StorageNode implements AutoCloseable {
  /** Writes in flight per chain at the head. */
  public static final int MAX_PENDING_PER_CHAIN = 1024;

  /** Client calls waiting inside the runtime. */
  public static final int MAX_QUEUED_CALLS = 20_000;

  private static final long SEGMENT_BYTES = 256L << 20;

  private final DurableReplicaStore store;
  private final GrpcPeerTransport peers;
  private final NodeRuntime runtime;
  private final NodeServer server;
  private final ZkMembership membership;

  private StorageNode(
      DurableReplicaStore store,
      GrpcPeerTransport peers,
      NodeRuntime runtime,
      NodeServer server,
      ZkMembership membership) {
    this.store = store;
    this.peers = peers;
    this.runtime = runtime;
    this.server = server;
    this.membership = membership;
  }

  /** Opens storage, starts serving and registers with the cluster. */
  public static StorageNode start(NodeOptions o) {
    return start(o, UnaryOperator.identity());
  }

  /**
   * Same as {@link #start(NodeOptions)}, with the metadata store passed through {@code
   * wrapMetadata} first (fault-injection tests wrap it in a store whose disk fails).
   */
  public static StorageNode start(NodeOptions o, UnaryOperator<ObjectStore> wrapMetadata) {
    var store =
        new DurableReplicaStore(
            wrapMetadata.apply(LevelDbObjectStore.open(o.dataDir().resolve("meta"), o.fsync())),
            SegmentChunkStore.open(o.dataDir().resolve("chunks"), o.fsync(), SEGMENT_BYTES));
    var peers = new GrpcPeerTransport();
    var lease = new AtomicReference<ZkMembership>();
    var runtime =
        new NodeRuntime(
            o.nodeId(),
            store,
            peers,
            () -> lease.get() != null && lease.get().getAsBoolean(),
            MAX_PENDING_PER_CHAIN,
            MAX_QUEUED_CALLS);
    var server = NodeServer.start(o.host(), o.port(), runtime, store, RequestLimits.defaults());
    var self =
        NodeInfo.newBuilder()
            .setNodeId(o.nodeId())
            .setHost(o.host())
            .setPort(server.port())
            .setCapacityBytes(o.dataDir().toFile().getUsableSpace())
            .build();
    lease.set(ZkMembership.start(o.zookeeper(), o.cluster(), self, o.sessionTimeout(), runtime));
    return new StorageNode(store, peers, runtime, server, lease.get());
  }

  public int port() {
    return server.port();
  }

  public NodeRuntime runtime() {
    return runtime;
  }

  @Override
  public void close() {
    membership.close();
    server.close();
    peers.close();
    runtime.close();
    store.close();
  }
}
