package dev.catena.chain.transport;

import dev.catena.chain.runtime.PeerTransport;
import dev.catena.proto.v1.ChainMessage;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;

/**
 * The stream a successor opened, seen from the predecessor that sends Forward messages down it,
 * respecting gRPC flow control: a message goes to the transport only while the call is ready and
 * nothing is held before it; otherwise it is held here, in order, and the call's on-ready handler
 * ({@link #drain}) sends what is held once the successor reads again. So a slow successor holds the
 * predecessor's messages here, where they are counted, not in the transport's unbounded buffer; the
 * protocol's in-flight window (writes and bytes, {@code ChainReplica}) bounds how much that can be.
 *
 * <p>Thread-safe: {@link #send} and {@link #close} run on the event loop, {@link #drain} on a gRPC
 * thread; one lock keeps the order of messages.
 */
final class ForwardLink implements PeerTransport.DownstreamLink {
  private final ServerCallStreamObserver<ChainMessage> out;
  private final ArrayDeque<ChainMessage> held = new ArrayDeque<>();
  private long heldBytes;
  private boolean closed;

  /**
   * Wraps {@code out} and installs the on-ready handler (call before the service method returns).
   */
  ForwardLink(ServerCallStreamObserver<ChainMessage> out) {
    this.out = out;
    out.setOnReadyHandler(this::drain);
  }

  @Override
  public synchronized void send(ChainMessage message) {
    if (closed || out.isCancelled()) {
      return;
    }
    if (held.isEmpty() && out.isReady()) {
      write(message);
    } else {
      held.add(message);
      heldBytes += message.getSerializedSize();
    }
  }

  /** Sends held messages while the call is ready (the call's on-ready handler). */
  synchronized void drain() {
    while (!closed && !held.isEmpty() && out.isReady()) {
      ChainMessage m = held.poll();
      heldBytes -= m.getSerializedSize();
      write(m);
    }
  }

  private void write(ChainMessage m) {
    try {
      out.onNext(m);
    } catch (IllegalStateException e) {
      closeHeld(); // the call already ended; the successor will reconnect
    }
  }

  /** Messages held for the successor (not yet given to the transport). */
  synchronized int heldMessages() {
    return held.size();
  }

  /** Their encoded size. */
  synchronized long heldBytes() {
    return heldBytes;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closeHeld();
    if (!out.isCancelled()) {
      try {
        out.onCompleted();
      } catch (IllegalStateException e) {
        // the call already ended (error or cancel): nothing left to close
      }
    }
  }

  private void closeHeld() {
    closed = true;
    held.clear();
    heldBytes = 0;
  }
}
