package dev.catena.client.impl;

import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectServiceGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per node address (plaintext, inbound messages up to 64 MiB), created on first
 * use or by {@link #connect} and shared by all requests to that node. gRPC channels reconnect by
 * themselves, so a channel is kept for the client's lifetime.
 */
public final class NodeChannels implements AutoCloseable {
  /** Largest inbound message. */
  public static final int MAX_INBOUND_BYTES = 64 << 20;

  private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** The async object-service stub of {@code node}. */
  public ObjectServiceGrpc.ObjectServiceStub stub(NodeInfo node) {
    return ObjectServiceGrpc.newStub(channel(node));
  }

  /**
   * Creates the channels of {@code nodes} (the live nodes of a new view) that do not exist yet and
   * asks each idle one to connect, so that the first request to a node that takes up a role (a new
   * head after a failure) does not also pay for the connection. A channel still backing off from
   * failed attempts reconnects at once: the node is registered again (e.g. restarted), and gRPC's
   * back-off, grown while it was down, would otherwise fail every request to it for many seconds.
   */
  public void connect(Iterable<NodeInfo> nodes) {
    for (NodeInfo node : nodes) {
      if (closed) {
        return;
      }
      ManagedChannel c = channel(node);
      if (c.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
        c.resetConnectBackoff();
      }
    }
  }

  /** The connectivity of {@code node}'s channel, without asking it to connect; null if none. */
  ConnectivityState state(NodeInfo node) {
    ManagedChannel c = channels.get(node.getHost() + ":" + node.getPort());
    return c == null ? null : c.getState(false);
  }

  private ManagedChannel channel(NodeInfo node) {
    if (closed) {
      throw new IllegalStateException("client closed");
    }
    return channels.computeIfAbsent(
        node.getHost() + ":" + node.getPort(),
        a ->
            NettyChannelBuilder.forAddress(node.getHost(), node.getPort())
                .usePlaintext()
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .build());
  }

  @Override
  public void close() {
    closed = true;
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
