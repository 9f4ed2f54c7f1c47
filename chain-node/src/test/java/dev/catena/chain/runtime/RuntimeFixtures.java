package dev.catena.chain.runtime;

import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotRequest;
import dev.catena.proto.v1.WriteResult;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/** Shared pieces of single-node {@link NodeRuntime} tests: a transport without peers, a call. */
final class RuntimeFixtures {
  private RuntimeFixtures() {}

  /** A transport for single-member chains: any peer traffic is a test failure. */
  static final PeerTransport NO_PEERS =
      new PeerTransport() {
        @Override
        public Iterator<SnapshotEntry> fetchSnapshot(NodeInfo source, SnapshotRequest request) {
          throw new UnsupportedOperationException("single-node chain");
        }

        @Override
        public UpstreamLink openUpstream(
            int chainId, NodeInfo predecessor, UpstreamListener listener) {
          throw new UnsupportedOperationException("single-node chain");
        }
      };

  /** A client call whose outcome is "committed", "served" or the error code's name. */
  static final class Outcome implements WriteCall, ReadCall {
    final CompletableFuture<String> result = new CompletableFuture<>();

    @Override
    public void committed(WriteResult r) {
      result.complete("committed");
    }

    @Override
    public void serve() {
      result.complete("served");
    }

    @Override
    public void failed(CatenaError e) {
      result.complete(e.getCode().name());
    }
  }
}
