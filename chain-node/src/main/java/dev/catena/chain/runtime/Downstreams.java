package dev.catena.chain.runtime;

import dev.catena.proto.v1.ChainMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The streams successors opened to this node, one per chain: the newest replaces (and closes) an
 * older one, and a send goes out only if the stream belongs to the replica's current successor (a
 * stream from a former successor must not receive this epoch's forwards).
 *
 * <p>Threading: every method runs on the event loop except {@link #closeAll}, which runs once the
 * loop has stopped.
 */
final class Downstreams {
  private record Downstream(String node, PeerTransport.DownstreamLink link) {}

  private final Map<Integer, Downstream> downstreams = new HashMap<>();

  /** A successor opened (or re-opened) its stream for {@code chainId}. */
  void opened(int chainId, String fromNode, PeerTransport.DownstreamLink link) {
    Downstream old = downstreams.put(chainId, new Downstream(fromNode, link));
    if (old != null && old.link != link) {
      old.link.close();
    }
  }

  /**
   * A successor's stream closed.
   *
   * @return true if it was the chain's current stream (the replica must learn it lost it)
   */
  boolean closed(int chainId, PeerTransport.DownstreamLink link) {
    Downstream d = downstreams.get(chainId);
    if (d != null && d.link == link) {
      downstreams.remove(chainId);
      return true;
    }
    return false;
  }

  /** Sends down the stream of {@code chainId} if it was opened by {@code successor}. */
  void send(int chainId, Optional<String> successor, ChainMessage message) {
    Downstream d = downstreams.get(chainId);
    if (d != null && successor.map(d.node::equals).orElse(false)) {
      d.link.send(message);
    }
  }

  /** Closes the stream of {@code chainId}, if any: the successor reconnects and says Hello. */
  void reset(int chainId) {
    Downstream d = downstreams.remove(chainId);
    if (d != null) {
      d.link.close();
    }
  }

  /** Closes every stream (the runtime is closing). */
  void closeAll() {
    downstreams.values().forEach(d -> d.link.close());
  }
}
