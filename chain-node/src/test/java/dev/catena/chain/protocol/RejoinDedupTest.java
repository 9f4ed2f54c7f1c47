package dev.catena.chain.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.NeedSnapshot;
import dev.catena.proto.v1.WriteOp;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §4 invariant 8 with §4a "Rejoin with old data": a node that rejoins drops its old data
 * for the snapshot, and with it the exactly-once records of that data. Found by the deterministic
 * simulation (seed 896): a head wrote (c1, 8) at seq 12 and was removed before it committed; the
 * node rejoined by snapshot but kept the record "(c1, 8) → seq 12", became head again, refused the
 * client's retries as "in transition" and finally answered one with the result of another write
 * that had been given seq 12.
 */
class RejoinDedupTest {
  private static WriteOp op(String client, long seq) {
    return ChainHarness.op(client, seq, "k", "v" + seq);
  }

  @Test
  void rejoinForgetsRecordsOfDroppedData() {
    // An earlier life held two writes of client "cl" that never committed.
    var log = new TreeMap<Long, WriteOp>();
    log.put(1L, op("cl", 1));
    log.put(2L, op("cl", 2));
    var dedup =
        List.of(
            new RecoveredState.DedupEntry("cl", 1, WriteOps.resultOf(1, op("cl", 1))),
            new RecoveredState.DedupEntry("cl", 2, WriteOps.resultOf(2, op("cl", 2))));
    ChainReplica d = new ChainReplica("d", 3, new RecoveredState(2, 0, log, dedup), 8);

    // It rejoins after "c", whose history is empty: the snapshot (cut 0) replaces its data.
    d.handle(new Event.ConfigChanged(new ChainView(3, 5, List.of("c"), List.of("d"))));
    d.handle(new Event.UpstreamOpened(5));
    List<Effect> install =
        d.handle(
            new Event.FromUpstream(
                ChainMessage.newBuilder()
                    .setChainId(3)
                    .setEpoch(5)
                    .setNeedSnapshot(NeedSnapshot.newBuilder().setCutSeq(0))
                    .build()));
    assertThat(install).contains(new Effect.InstallSnapshot("c", 0, 5));
    d.handle(new Event.SnapshotInstalled(0, List.of()));

    // Later it is the only member and the client retries request 2.
    d.handle(new Event.ConfigChanged(ChainView.of(3, 7, List.of("d"))));
    List<Effect> out = d.handle(new Event.ClientWrite(1, op("cl", 2), 7));

    // The retry is a new write at seq 1, not a wait for the old life's seq 2 (and of the history
    // after the rollback).
    assertThat(out)
        .contains(new Effect.Persist(1, op("cl", 2), WriteOps.resultOf(1, op("cl", 2)), 1));
    assertThat(out).noneMatch(e -> e instanceof Effect.ReplyError);
  }

  // Issue: the client's acked_below mark was stored but not recovered (records came back with mark
  // 0), so after a restart or a join a late duplicate of a request below the mark, whose record
  // had been discarded, was applied a second time.
  @Test
  void theAckedMarkSurvivesRestartsAndJoins() {
    var kept =
        List.of(new RecoveredState.DedupEntry("cl", 5, WriteOps.resultOf(5, op("cl", 5)), 5));
    ChainReplica restarted =
        new ChainReplica("d", 3, new RecoveredState(5, 5, new TreeMap<>(), kept), 8);
    restarted.handle(new Event.ConfigChanged(ChainView.of(3, 7, List.of("d"))));
    restarted.handle(new Event.FenceChanged(false));
    List<Effect> late = restarted.handle(new Event.ClientWrite(1, op("cl", 3), 7));
    assertThat(late)
        .containsExactly(
            new Effect.ReplyError(
                1, ErrorCode.INVALID_ARGUMENT, 7, "request below client's acked mark"));

    // The same after a join: the snapshot's records carry the mark.
    ChainReplica joiner = new ChainReplica("e", 3, RecoveredState.empty(), 8);
    joiner.handle(new Event.ConfigChanged(new ChainView(3, 8, List.of("d"), List.of("e"))));
    joiner.handle(new Event.UpstreamOpened(8));
    joiner.handle(
        new Event.FromUpstream(
            ChainMessage.newBuilder()
                .setChainId(3)
                .setEpoch(8)
                .setNeedSnapshot(NeedSnapshot.newBuilder().setCutSeq(5))
                .build()));
    joiner.handle(new Event.SnapshotInstalled(5, kept));
    joiner.handle(new Event.ConfigChanged(ChainView.of(3, 9, List.of("e"))));
    joiner.handle(new Event.FenceChanged(false));
    assertThat(joiner.handle(new Event.ClientWrite(2, op("cl", 3), 9)))
        .containsExactly(
            new Effect.ReplyError(
                2, ErrorCode.INVALID_ARGUMENT, 9, "request below client's acked mark"));
  }

  // §4a "Rejoin with old data" with a persist still in flight: the write issued before the
  // rollback may report durable after it, and after a new write took its seq. Found by the
  // deterministic simulation (seed 2668: "durable 21 beyond last 20").
  @Test
  void durableOfAWriteRolledBackIsIgnored() {
    ChainReplica d = new ChainReplica("d", 3, RecoveredState.empty(), 8);
    d.handle(new Event.ConfigChanged(ChainView.of(3, 1, List.of("d"))));
    d.handle(new Event.FenceChanged(false));
    List<Effect> issued = d.handle(new Event.ClientWrite(1, op("cl", 1), 1));
    Effect.Persist old =
        issued.stream()
            .filter(e -> e instanceof Effect.Persist)
            .map(Effect.Persist.class::cast)
            .findFirst()
            .orElseThrow();

    // Removed before it was durable, it rejoins after "c", whose history is empty (cut 0).
    d.handle(new Event.ConfigChanged(new ChainView(3, 5, List.of("c"), List.of("d"))));
    d.handle(new Event.UpstreamOpened(5));
    d.handle(
        new Event.FromUpstream(
            ChainMessage.newBuilder()
                .setChainId(3)
                .setEpoch(5)
                .setNeedSnapshot(NeedSnapshot.newBuilder().setCutSeq(0))
                .build()));
    assertThat(d.handle(new Event.Durable(old.seq(), old.history()))).isEmpty();
    assertThat(d.status().durable()).isZero();

    // A forward takes seq 1 again; the old write's report must not make it durable.
    WriteOp next = op("other", 1);
    List<Effect> forwarded =
        d.handle(
            new Event.FromUpstream(
                ChainMessage.newBuilder()
                    .setChainId(3)
                    .setEpoch(5)
                    .setForward(Forward.newBuilder().setSeq(1).setOp(next))
                    .build()));
    assertThat(forwarded)
        .contains(new Effect.Persist(1, next, WriteOps.resultOf(1, next), old.history() + 1));
    d.handle(new Event.Durable(1, old.history()));
    assertThat(d.status().durable()).isZero();
    d.handle(new Event.Durable(1, old.history() + 1));
    assertThat(d.status().durable()).isEqualTo(1);
  }
}
