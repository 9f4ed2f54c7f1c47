package dev.catena.chain.transport;

import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.ReplicaStore;
import dev.catena.chain.runtime.RequestLimits;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of a storage node: the chain service (neighbour streams) and the object service
 * (clients). Handlers only validate and enqueue, so they run on the transport threads ({@code
 * directExecutor}).
 */
public final class NodeServer implements AutoCloseable {
  private final Server server;
  private final ExecutorService chunkReaders;
  private final UploadBudget uploads;

  private NodeServer(Server server, ExecutorService chunkReaders, UploadBudget uploads) {
    this.server = server;
    this.chunkReaders = chunkReaders;
    this.uploads = uploads;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free port).
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static NodeServer start(
      String host, int port, NodeRuntime runtime, ReplicaStore store, RequestLimits limits) {
    return start(host, port, runtime, store, limits, java.util.List.of());
  }

  /**
   * Same as {@link #start(String, int, NodeRuntime, ReplicaStore, RequestLimits)}, with {@code
   * interceptors} around every call of both services (e.g. metrics; the last one runs first), and
   * chunk uploads bounded by {@link UploadBudget#forThisHeap()}.
   */
  public static NodeServer start(
      String host,
      int port,
      NodeRuntime runtime,
      ReplicaStore store,
      RequestLimits limits,
      java.util.List<io.grpc.ServerInterceptor> interceptors) {
    return start(host, port, runtime, store, limits, UploadBudget.forThisHeap(), interceptors);
  }

  /**
   * Same as {@link #start(String, int, NodeRuntime, ReplicaStore, RequestLimits, java.util.List)},
   * with chunk uploads held in memory at once bounded by {@code uploads} (beyond it, {@code
   * OVERLOADED}).
   */
  public static NodeServer start(
      String host,
      int port,
      NodeRuntime runtime,
      ReplicaStore store,
      RequestLimits limits,
      UploadBudget uploads,
      java.util.List<io.grpc.ServerInterceptor> interceptors) {
    ExecutorService readers =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "catena-chunk-reader");
              t.setDaemon(true);
              return t;
            });
    var builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .directExecutor()
            .maxInboundMessageSize(GrpcPeerTransport.MAX_MESSAGE_BYTES)
            .flowControlWindow(GrpcPeerTransport.FLOW_CONTROL_WINDOW)
            .addService(new ChainServiceImpl(runtime, store, readers))
            .addService(
                new ObjectServiceImpl(
                    runtime, store, limits, readers, uploads, java.time.Clock.systemUTC()));
    interceptors.forEach(builder::intercept);
    Server s = builder.build();
    try {
      s.start();
    } catch (IOException e) {
      readers.shutdownNow();
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    return new NodeServer(s, readers, uploads);
  }

  /** The node's chunk-upload budget (bytes of uploads held in memory now, and the bound). */
  public UploadBudget uploads() {
    return uploads;
  }

  /** The port actually bound. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    chunkReaders.shutdownNow();
  }
}
