package dev.catena.chain.transport;

import dev.catena.chain.runtime.PeerTransport;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ChainServiceGrpc;
import dev.catena.proto.v1.NodeInfo;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link PeerTransport} over gRPC: one channel per peer address, one {@code Replicate} stream per
 * chain opened by the successor.
 */
public final class GrpcPeerTransport implements PeerTransport, AutoCloseable {
  /** Largest message on a chain stream (a chunk plus its envelope). */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** Per-stream flow-control window: several 4 MiB chunks in flight between neighbours. */
  public static final int FLOW_CONTROL_WINDOW = 16 << 20;

  private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  private ManagedChannel channel(NodeInfo peer) {
    return channels.computeIfAbsent(
        peer.getHost() + ":" + peer.getPort(),
        a ->
            NettyChannelBuilder.forAddress(peer.getHost(), peer.getPort())
                .usePlaintext()
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build());
  }

  @Override
  public java.util.Iterator<dev.catena.proto.v1.SnapshotEntry> fetchSnapshot(
      NodeInfo source, dev.catena.proto.v1.SnapshotRequest request) {
    return ChainServiceGrpc.newBlockingStub(channel(source)).snapshot(request);
  }

  @Override
  public UpstreamLink openUpstream(int chainId, NodeInfo predecessor, UpstreamListener listener) {
    var stub = ChainServiceGrpc.newStub(channel(predecessor));
    var requests =
        (ClientCallStreamObserver<ChainMessage>)
            stub.replicate(
                new ClientResponseObserver<ChainMessage, ChainMessage>() {
                  @Override
                  public void beforeStart(ClientCallStreamObserver<ChainMessage> r) {}

                  @Override
                  public void onNext(ChainMessage m) {
                    listener.message(m);
                  }

                  @Override
                  public void onError(Throwable t) {
                    listener.closed(t);
                  }

                  @Override
                  public void onCompleted() {
                    listener.closed(null);
                  }
                });
    listener.opened();
    return new UpstreamLink() {
      @Override
      public void send(ChainMessage message) {
        synchronized (requests) {
          requests.onNext(message);
        }
      }

      @Override
      public void close() {
        synchronized (requests) {
          requests.cancel("closed by runtime", null);
        }
      }
    };
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
