package dev.catena.tests.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.Hello;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.WriteOp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each faulty variant changes only its one rule: everything else is the real replica's output. */
class FaultyReplicasTest {
  private static final ChainView VIEW = ChainView.of(0, 1, List.of("n1", "n2"));

  private static WriteOp put(long requestSeq, String value) {
    return WriteOp.newBuilder()
        .setClientId("c1")
        .setRequestSeq(requestSeq)
        .setPutManifest(ObjectManifest.newBuilder().setBucket("b").setKey("k").setVersionId(value))
        .build();
  }

  private static ChainMessage hello(long highestSeq, boolean needsSnapshot) {
    return ChainMessage.newBuilder()
        .setChainId(0)
        .setEpoch(1)
        .setHello(
            Hello.newBuilder()
                .setNodeId("n2")
                .setHighestSeq(highestSeq)
                .setNeedsSnapshot(needsSnapshot)
                .setInstalled(true))
        .build();
  }

  /** Head n1 of [n1, n2] holding two writes its successor has not seen, then n2's Hello. */
  private static List<Effect> afterHello(ReplicaDriver.Factory factory, ChainMessage hello) {
    ReplicaDriver head = factory.create("n1", 0, RecoveredState.empty(), 64);
    head.handle(new Event.FenceChanged(false));
    head.handle(new Event.ConfigChanged(VIEW));
    head.handle(new Event.ClientWrite(1, put(1, "a"), 1));
    head.handle(new Event.ClientWrite(2, put(2, "b"), 1));
    return head.handle(new Event.FromDownstream("n2", hello));
  }

  @Test
  void noResendAfterHelloDropsOnlyTheResentForwards() {
    FaultyReplicas.Variant variant = FaultyReplicas.noResendAfterHello();
    List<Effect> real = afterHello(ReplicaDriver.realFactory(), hello(0, false));
    List<Effect> faulty = afterHello(variant.factory(), hello(0, false));
    assertThat(real).filteredOn(FaultyReplicas::isForward).hasSize(2);
    assertThat(real)
        .anyMatch(e -> e instanceof Effect.SendDownstream s && s.message().hasSentThrough());
    assertThat(faulty).isEqualTo(real.stream().filter(e -> !FaultyReplicas.isForward(e)).toList());
    assertThat(variant.deviations().get()).isEqualTo(2);
  }

  @Test
  void noResendAfterHelloKeepsASnapshotRequest() {
    FaultyReplicas.Variant variant = FaultyReplicas.noResendAfterHello();
    List<Effect> real = afterHello(ReplicaDriver.realFactory(), hello(0, true));
    assertThat(real)
        .anyMatch(e -> e instanceof Effect.SendDownstream s && s.message().hasNeedSnapshot());
    assertThat(afterHello(variant.factory(), hello(0, true))).isEqualTo(real);
    assertThat(variant.deviations().get()).isZero();
  }
}
