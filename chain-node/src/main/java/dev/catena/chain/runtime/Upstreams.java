package dev.catena.chain.runtime;

import dev.catena.chain.protocol.Event;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.NodeInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams this node opens to its predecessors, one per chain: opening on {@link
 * dev.catena.chain.protocol.Effect.OpenUpstream}, reconnecting with capped exponential back-off
 * ({@link RetryDelays}) when a stream breaks, and turning what arrives into replica events ({@link
 * Event.UpstreamOpened}, {@link Event.FromUpstream}). A reconnect uses the same handshake as a
 * reconfiguration (DESIGN §4a "Broken streams"): the replica says Hello again on {@code
 * UpstreamOpened}.
 *
 * <p>Every forwarded chunk's checksum is verified on the transport thread before the message
 * reaches the loop; a damaged forward is dropped and the stream reopened, whose handshake makes the
 * predecessor resend it.
 *
 * <p>Threading: every method runs on the event loop; transport callbacks only enqueue onto it.
 * Callbacks of a stream that was replaced or closed are ignored.
 */
final class Upstreams {
  private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

  private final PeerTransport transport;
  private final LoopScheduler loop;
  private final Function<String, NodeInfo> directory;
  private final ReplicaInbox inbox;
  private final Map<Integer, Upstream> upstreams = new HashMap<>();

  private static final class Upstream {
    final int chainId;
    final String predecessor;
    final long epoch;
    PeerTransport.UpstreamLink link;
    boolean closed;
    int failures;

    Upstream(int chainId, String predecessor, long epoch) {
      this.chainId = chainId;
      this.predecessor = predecessor;
      this.epoch = epoch;
    }
  }

  /**
   * @param directory the address of a node id, null if unknown (then the connect is retried)
   */
  Upstreams(
      PeerTransport transport,
      LoopScheduler loop,
      Function<String, NodeInfo> directory,
      ReplicaInbox inbox) {
    this.transport = transport;
    this.loop = loop;
    this.directory = directory;
    this.inbox = inbox;
  }

  /** Replaces the stream of {@code chainId} by one to {@code predecessor}; null: none. */
  void open(int chainId, String predecessor, long epoch) {
    Upstream old = upstreams.remove(chainId);
    if (old != null) {
      old.closed = true;
      if (old.link != null) {
        old.link.close();
      }
    }
    if (predecessor == null) {
      return;
    }
    Upstream u = new Upstream(chainId, predecessor, epoch);
    upstreams.put(chainId, u);
    connect(u);
  }

  /** Sends up the stream of {@code chainId}; dropped while it is not connected. */
  void send(int chainId, ChainMessage message) {
    Upstream u = upstreams.get(chainId);
    if (u != null && u.link != null) {
      u.link.send(message);
    }
  }

  /** Closes every stream (the runtime is closing). */
  void closeAll() {
    for (Upstream u : upstreams.values()) {
      u.closed = true;
      if (u.link != null) {
        u.link.close();
      }
    }
  }

  private void connect(Upstream u) {
    if (!current(u)) {
      return;
    }
    NodeInfo peer = directory.apply(u.predecessor);
    if (peer == null) {
      retryLater(u);
      return;
    }
    u.link = transport.openUpstream(u.chainId, peer, new Listener(u));
  }

  private boolean current(Upstream u) {
    return !u.closed && upstreams.get(u.chainId) == u;
  }

  private void retryLater(Upstream u) {
    loop.schedule(() -> connect(u), RetryDelays.millis(++u.failures));
  }

  /** Callbacks of one stream; they run on transport threads and only enqueue onto the loop. */
  private final class Listener implements PeerTransport.UpstreamListener {
    private final Upstream u;

    Listener(Upstream u) {
      this.u = u;
    }

    @Override
    public void opened() {
      loop.execute(
          () -> {
            if (current(u)) {
              u.failures = 0;
              inbox.deliver(u.chainId, new Event.UpstreamOpened(u.epoch));
            }
          });
    }

    @Override
    public void message(ChainMessage message) {
      Optional<String> damaged = ChunkIntegrity.mismatch(message);
      loop.execute(
          () -> {
            if (!current(u)) {
              return;
            }
            if (damaged.isPresent()) {
              LOG.error(
                  "chain {}: damaged forward from {}: {}; reconnecting",
                  u.chainId,
                  u.predecessor,
                  damaged.get());
              open(u.chainId, u.predecessor, u.epoch);
            } else {
              inbox.deliver(u.chainId, new Event.FromUpstream(message));
            }
          });
    }

    @Override
    public void closed(Throwable cause) {
      loop.execute(
          () -> {
            if (current(u)) {
              LOG.debug("upstream of chain {} closed: {}", u.chainId, String.valueOf(cause));
              u.link = null;
              retryLater(u);
            }
          });
    }
  }
}
