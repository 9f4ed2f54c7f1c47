package dev.catena.chain.transport;

import dev.catena.chain.runtime.DurableReplicaStore;
import dev.catena.chain.runtime.NodeFence;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.sharding.ChainSpec;
import dev.catena.sharding.RotatedChainTable;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** N real nodes (gRPC on localhost, LevelDB in temp dirs) configured by hand, without ZooKeeper. */
final class LocalChainCluster implements AutoCloseable {
  record Node(
      String id,
      NodeRuntime runtime,
      NodeServer server,
      DurableReplicaStore store,
      LevelDbObjectStore meta,
      GrpcPeerTransport peers) {}

  private final Path dir;

  final Map<String, Node> nodes = new LinkedHashMap<>();
  final Map<String, NodeInfo> infos = new LinkedHashMap<>();
  private final Map<String, ManagedChannel> channels = new java.util.HashMap<>();

  /** Per node: wraps its peer transport when it starts (fault injection on the wire). */
  final Map<String, java.util.function.UnaryOperator<dev.catena.chain.runtime.PeerTransport>>
      wireFaults = new java.util.HashMap<>();

  /** Chunk-upload budget of nodes started from now on, in bytes; 0 = the default for the heap. */
  long uploadBudgetBytes;

  /** A blocking client stub for one node (channels are closed with the cluster). */
  ObjectServiceGrpc.ObjectServiceBlockingStub stub(String node) {
    NodeInfo info = infos.get(node);
    return ObjectServiceGrpc.newBlockingStub(
        channels.computeIfAbsent(
            node,
            n ->
                NettyChannelBuilder.forAddress(info.getHost(), info.getPort())
                    .usePlaintext()
                    .build()));
  }

  LocalChainCluster(Path dir, int n) {
    this(dir, n, Map.of());
  }

  /** As above, with the peer transport of some nodes wrapped (node id → wrapper). */
  LocalChainCluster(
      Path dir,
      int n,
      Map<String, java.util.function.UnaryOperator<dev.catena.chain.runtime.PeerTransport>>
          faults) {
    this.dir = dir;
    this.wireFaults.putAll(faults);
    for (int i = 1; i <= n; i++) {
      start("n" + i);
    }
  }

  /** Starts node {@code id} on its data directory (kept across restarts), on a fresh port. */
  void start(String id) {
    Path d = dir.resolve(id);
    var meta = LevelDbObjectStore.open(d.resolve("meta"), FsyncPolicy.GROUP);
    var store =
        new DurableReplicaStore(
            meta, SegmentChunkStore.open(d.resolve("chunks"), FsyncPolicy.GROUP, 64L << 20));
    var peers = new GrpcPeerTransport();
    var runtime =
        new NodeRuntime(
            id,
            store,
            wireFaults.getOrDefault(id, t -> t).apply(peers),
            NodeFence.withoutSession(id),
            256,
            10_000);
    var server =
        NodeServer.start(
            "127.0.0.1",
            0,
            runtime,
            store,
            RequestLimits.defaults(),
            uploadBudgetBytes > 0
                ? new UploadBudget(uploadBudgetBytes)
                : UploadBudget.forThisHeap(),
            List.of());
    nodes.put(id, new Node(id, runtime, server, store, meta, peers));
    infos.put(
        id,
        NodeInfo.newBuilder().setNodeId(id).setHost("127.0.0.1").setPort(server.port()).build());
    ManagedChannel old = channels.remove(id);
    if (old != null) {
      old.shutdownNow();
    }
  }

  /** Stops node {@code id} (its data stays); other nodes learn nothing until reconfigured. */
  void stop(String id) {
    Node n = nodes.remove(id);
    close(n);
  }

  private static void close(Node n) {
    n.server.close();
    n.runtime.close();
    n.peers.close();
    n.store.close();
  }

  /**
   * Uploads {@code data} as chunk {@code chunkId} to chain 0 at epoch 1 through {@code node}, as
   * request {@code requestSeq} of client {@code c1}, with its correct CRC32C; returns the call's
   * status (OK or the refusal).
   */
  io.grpc.Status uploadChunk(String node, long requestSeq, String chunkId, byte[] data)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    var crc = new java.util.zip.CRC32C();
    crc.update(data);
    var done = new java.util.concurrent.CompletableFuture<Void>();
    NodeInfo info = infos.get(node);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(info.getHost(), info.getPort()).usePlaintext().build();
    try {
      var requests =
          ObjectServiceGrpc.newStub(channel)
              .uploadChunk(
                  new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(dev.catena.proto.v1.UploadChunkResponse r) {}

                    @Override
                    public void onError(Throwable t) {
                      done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      done.complete(null);
                    }
                  });
      requests.onNext(
          dev.catena.proto.v1.UploadChunkRequest.newBuilder()
              .setChainId(0)
              .setEpoch(1)
              .setRequestId(
                  dev.catena.proto.v1.RequestId.newBuilder()
                      .setClientId("c1")
                      .setRequestSeq(requestSeq))
              .setChunkId(chunkId)
              .setLength(data.length)
              .setCrc32C((int) crc.getValue())
              .setData(com.google.protobuf.ByteString.copyFrom(data))
              .build());
      requests.onCompleted();
      done.get(30, java.util.concurrent.TimeUnit.SECONDS);
      return io.grpc.Status.OK;
    } catch (java.util.concurrent.ExecutionException e) {
      return io.grpc.Status.fromThrowable(e.getCause());
    } finally {
      channel.shutdownNow();
    }
  }

  /** Rotated chains of length r, epoch given. */
  List<ChainConfig> rotated(int r, long epoch) {
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

  static ChainConfig chain(int id, long epoch, List<String> active, List<String> syncing) {
    var b = ChainConfig.newBuilder().setChainId(id).setEpoch(epoch);
    active.forEach(
        n -> b.addMembers(ChainMember.newBuilder().setNodeId(n).setState(MemberState.ACTIVE)));
    syncing.forEach(
        n -> b.addMembers(ChainMember.newBuilder().setNodeId(n).setState(MemberState.SYNCING)));
    return b.build();
  }

  void configure(List<ChainConfig> chains) {
    nodes.values().forEach(n -> n.runtime.applyConfiguration(infos, chains));
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (Node n : nodes.values()) {
      close(n);
    }
  }
}
