package dev.catena.chain.transport;

import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.PeerTransport;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ChainServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * Server side of the chain streams: a successor opens {@code Replicate} and says Hello first; the
 * stream is then bound to (chain, successor) and handed to the {@link NodeRuntime}.
 */
final class ChainServiceImpl extends ChainServiceGrpc.ChainServiceImplBase {
  private final NodeRuntime runtime;

  ChainServiceImpl(NodeRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public StreamObserver<ChainMessage> replicate(StreamObserver<ChainMessage> responses) {
    var out = (ServerCallStreamObserver<ChainMessage>) responses;
    var link =
        new PeerTransport.DownstreamLink() {
          private boolean closed;

          @Override
          public synchronized void send(ChainMessage message) {
            if (!closed && !out.isCancelled()) {
              out.onNext(message);
            }
          }

          @Override
          public synchronized void close() {
            if (!closed) {
              closed = true;
              if (!out.isCancelled()) {
                out.onCompleted();
              }
            }
          }
        };
    return new StreamObserver<>() {
      private int chainId = -1;
      private String from;

      @Override
      public void onNext(ChainMessage m) {
        if (from == null) {
          if (!m.hasHello() || m.getHello().getNodeId().isEmpty()) {
            out.onError(
                Status.INVALID_ARGUMENT
                    .withDescription("stream must start with Hello")
                    .asException());
            return;
          }
          chainId = m.getChainId();
          from = m.getHello().getNodeId();
          runtime.downstreamOpened(chainId, from, link);
        }
        runtime.downstreamMessage(chainId, from, m);
      }

      @Override
      public void onError(Throwable t) {
        if (from != null) {
          runtime.downstreamClosed(chainId, link);
        }
      }

      @Override
      public void onCompleted() {
        if (from != null) {
          runtime.downstreamClosed(chainId, link);
        }
        link.close();
      }
    };
  }
}
