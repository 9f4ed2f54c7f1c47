package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotRequest;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.file.Path;
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

  /** A store over real LevelDB and segment files under {@code dir}. */
  static DurableReplicaStore store(Path dir, FsyncPolicy policy) {
    return new DurableReplicaStore(
        LevelDbObjectStore.open(dir.resolve("m"), policy),
        SegmentChunkStore.open(dir.resolve("c"), policy, 1 << 20));
  }

  /** Node n1 without a ZooKeeper session, over {@code store}, driven by {@code loop}. */
  static NodeRuntime node(ReplicaStore store, LoopScheduler loop) {
    return new NodeRuntime("n1", store, NO_PEERS, NodeFence.withoutSession("n1"), 16, 100, loop);
  }

  /** Chain 0 of one member, n1, in epoch 1. */
  static final ChainConfig SINGLE_NODE_CHAIN =
      ChainConfig.newBuilder()
          .setChainId(0)
          .setEpoch(1)
          .addMembers(ChainMember.newBuilder().setNodeId("n1").setState(MemberState.ACTIVE))
          .build();

  /** Client c1's put of {@code b/<key>}, version {@code v<requestSeq>}, inline "value <seq>". */
  static WriteOp put(long requestSeq, String key) {
    return WriteOp.newBuilder()
        .setClientId("c1")
        .setRequestSeq(requestSeq)
        .setPutManifest(
            ObjectManifest.newBuilder()
                .setBucket("b")
                .setKey(key)
                .setVersionId("v" + requestSeq)
                .setInlineData(ByteString.copyFromUtf8("value " + requestSeq)))
        .build();
  }

  /** A client call whose outcome is "committed", "served" or the error code's name. */
  static final class Outcome implements WriteCall, ReadCall {
    final CompletableFuture<String> result = new CompletableFuture<>();

    @Override
    public void committed(WriteResult r) {
      result.complete("committed");
    }

    @Override
    public void serve(ChainStateReads reads) {
      result.complete("served");
    }

    @Override
    public void failed(CatenaError e) {
      result.complete(e.getCode().name());
    }
  }
}
