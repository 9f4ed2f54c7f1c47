package dev.catena.chain.protocol;

import dev.catena.proto.v1.Ack;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.Hello;
import dev.catena.proto.v1.NeedSnapshot;
import dev.catena.proto.v1.Reject;
import dev.catena.proto.v1.SentThrough;
import dev.catena.proto.v1.WriteOp;

/** Builds the chain messages of one replica; every message carries (chainId, epoch). */
final class ChainMessages {
  private ChainMessages() {}

  private static ChainMessage.Builder base(ChainView v) {
    return ChainMessage.newBuilder().setChainId(v.chainId()).setEpoch(v.epoch());
  }

  static ChainMessage forward(ChainView v, long seq, WriteOp op) {
    return base(v).setForward(Forward.newBuilder().setSeq(seq).setOp(op)).build();
  }

  static ChainMessage ack(ChainView v, long seq) {
    return base(v).setAck(Ack.newBuilder().setSeq(seq)).build();
  }

  static ChainMessage hello(
      ChainView v, String nodeId, long highestSeq, boolean needsSnapshot, boolean installed) {
    return base(v)
        .setHello(
            Hello.newBuilder()
                .setNodeId(nodeId)
                .setHighestSeq(highestSeq)
                .setNeedsSnapshot(needsSnapshot)
                .setInstalled(installed))
        .build();
  }

  static ChainMessage reject(ChainView v, long staleEpoch) {
    return base(v)
        .setReject(
            Reject.newBuilder().setCurrentEpoch(v.epoch()).setReason("stale epoch " + staleEpoch))
        .build();
  }

  static ChainMessage sentThrough(ChainView v, long seq) {
    return base(v).setSentThrough(SentThrough.newBuilder().setSeq(seq)).build();
  }

  static ChainMessage needSnapshot(ChainView v, long cut) {
    return base(v).setNeedSnapshot(NeedSnapshot.newBuilder().setCutSeq(cut)).build();
  }
}
