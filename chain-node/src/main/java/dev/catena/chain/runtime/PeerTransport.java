package dev.catena.chain.runtime;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.NodeInfo;

/**
 * Streams between chain neighbours, implemented over gRPC by the transport package. The successor
 * opens one stream per chain to its predecessor; Forward messages flow down it, Hello and Ack
 * messages flow up.
 */
public interface PeerTransport {

  /** Receives what arrives on an upstream stream; called from transport threads. */
  interface UpstreamListener {
    void opened();

    void message(ChainMessage message);

    /** The stream failed or was closed by the peer. */
    void closed(Throwable cause);
  }

  /** An open stream to a predecessor. */
  interface UpstreamLink {
    void send(ChainMessage message);

    void close();
  }

  /** A stream a successor opened to this node; the runtime sends Forward messages down it. */
  interface DownstreamLink {
    void send(ChainMessage message);

    void close();
  }

  /**
   * Streams a snapshot from {@code source}; the iterator blocks for the next record and throws a
   * runtime exception if the stream fails.
   */
  java.util.Iterator<dev.catena.proto.v1.SnapshotEntry> fetchSnapshot(
      NodeInfo source, dev.catena.proto.v1.SnapshotRequest request);

  /** Opens a stream for chain {@code chainId} to {@code predecessor}. */
  UpstreamLink openUpstream(int chainId, NodeInfo predecessor, UpstreamListener listener);
}
