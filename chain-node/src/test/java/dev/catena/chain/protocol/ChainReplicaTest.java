package dev.catena.chain.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.Reject;
import dev.catena.proto.v1.WriteOp;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unit tests of {@link ChainReplica}. Each cites the section of Chain Replication (van Renesse
 * &amp; Schneider, OSDI 2004, "CR") or the DESIGN.md §4 invariant it checks.
 */
class ChainReplicaTest {
  private ChainHarness h;

  @BeforeEach
  void threeNodeChain() {
    h = new ChainHarness(7, List.of("a", "b", "c"));
    h.configure(ChainView.of(7, 1, List.of("a", "b", "c")));
    h.connectAll();
    h.settle();
  }

  // CR §2: updates are processed by the head and forwarded down the chain; the head assigns
  // contiguous sequence numbers.
  @Test
  void headAssignsContiguousSeqsAndForwardsInOrder() {
    for (int i = 1; i <= 5; i++) {
      h.write("a", "cl", i, "k" + i, "v" + i);
    }
    h.settle();
    for (String n : List.of("a", "b", "c")) {
      assertThat(h.node(n).applied.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  // Invariant 4 (CR §2: the reply is sent by the tail / after commit): no reply before the
  // tail has the write durably and the ack has come back.
  @Test
  void headRepliesOnlyAfterTailCommits() {
    long call = h.write("a", "cl", 1, "k", "v");
    h.syncAll();
    h.deliverOne("a", "b");
    h.syncAll();
    assertThat(h.replies).doesNotContainKey(call);
    h.deliverOne("b", "c"); // tail receives it
    assertThat(h.replies).doesNotContainKey(call);
    h.sync("c"); // durable at the tail: committed
    h.deliverOne("c", "b");
    assertThat(h.replies).doesNotContainKey(call);
    h.deliverOne("b", "a");
    assertThat(h.replies).containsKey(call);
    assertThat(h.replies.get(call).getSeq()).isEqualTo(1);
  }

  // Invariant 3: a node passes an ack upstream only after its own copy is durable.
  @Test
  void middleDoesNotAckBeforeItsOwnCopyIsDurable() {
    long call = h.write("a", "cl", 1, "k", "v");
    h.sync("a");
    h.deliverOne("a", "b"); // b has it, not durable
    h.deliverOne("b", "c");
    h.sync("c");
    h.deliverOne("c", "b"); // tail acked; b is still not durable
    assertThat(h.queued("b", "a")).isZero();
    assertThat(h.node("b").replica.pendingSeqs()).containsExactly(1L);
    h.sync("b");
    assertThat(h.queued("b", "a")).isEqualTo(1);
    h.deliverOne("b", "a");
    assertThat(h.replies).containsKey(call);
  }

  // Invariant 1 (CR §3 "Sent" lists): each node's pending list holds exactly the writes its
  // successor has not yet acknowledged, and successors hold a prefix.
  @Test
  void prefixPropertyHoldsWhileWritesAreInFlight() {
    for (int i = 1; i <= 6; i++) {
      h.write("a", "cl", i, "k", "v" + i);
    }
    h.syncAll();
    h.deliverOne("a", "b");
    h.deliverOne("a", "b");
    h.deliverOne("a", "b");
    h.deliverOne("b", "c");
    assertPrefix("a", "b", "c");
    assertThat(h.node("a").replica.pendingSeqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    h.settle();
    assertPrefix("a", "b", "c");
    assertThat(h.node("a").replica.pendingSeqs()).isEmpty();
  }

  // Invariant 5: reads only at the tail.
  @Test
  void readsAtNonTailAreRefused() {
    long r1 = h.read("a", "k");
    long r2 = h.read("b", "k");
    long r3 = h.read("c", "k");
    assertThat(h.errors)
        .containsEntry(r1, ErrorCode.NOT_TAIL)
        .containsEntry(r2, ErrorCode.NOT_TAIL);
    assertThat(h.servedReads).containsExactly(r3);
  }

  // Invariant 5: the tail never exposes a write that is not yet durable (committed).
  @Test
  void tailReadOfDirtyKeyWaitsUntilDurable() {
    h.write("a", "cl", 1, "k", "v");
    h.sync("a");
    h.deliverOne("a", "b");
    h.sync("b");
    h.deliverOne("b", "c"); // at the tail, not yet durable
    long dirty = h.read("c", "k");
    long clean = h.read("c", "other");
    assertThat(h.servedReads).containsExactly(clean);
    h.sync("c");
    assertThat(h.servedReads).containsExactly(clean, dirty);
  }

  // Invariant 6: a message with an older epoch is rejected with the current epoch.
  @Test
  void staleEpochMessageIsRejectedWithCurrentEpoch() {
    h.configure(ChainView.of(7, 2, List.of("a", "b", "c")));
    h.connectAll();
    h.settle();
    var stale =
        ChainMessage.newBuilder()
            .setChainId(7)
            .setEpoch(1)
            .setForward(Forward.newBuilder().setSeq(1).setOp(ChainHarness.op("x", 1, "k", "v")))
            .build();
    h.run("b", new Event.FromUpstream(stale));
    assertThat(h.node("b").applied).isEmpty();
    ChainMessage reply = h.links.get("b->a").peekLast();
    assertThat(reply.getReject().getCurrentEpoch()).isEqualTo(2);
  }

  // Invariant 6 / §4a: a node that sees a newer epoch stops serving until it has that config.
  @Test
  void tailThatSeesNewerEpochStopsServingReads() {
    var newer =
        ChainMessage.newBuilder()
            .setChainId(7)
            .setEpoch(5)
            .setReject(Reject.newBuilder().setCurrentEpoch(5))
            .build();
    h.run("c", new Event.FromUpstream(newer));
    long r = h.read("c", "k");
    assertThat(h.errors).containsEntry(r, ErrorCode.WRONG_EPOCH);
    h.configure(ChainView.of(7, 5, List.of("a", "b", "c")));
    long r2 = h.read("c", "k");
    assertThat(h.servedReads).containsExactly(r2);
  }

  // Invariant 6: clients that route by an old epoch are told the current one.
  @Test
  void clientWithOldEpochGetsWrongEpoch() {
    h.configure(ChainView.of(7, 2, List.of("a", "b", "c")));
    long call = h.write("a", ChainHarness.op("cl", 1, "k", "v"), 1);
    assertThat(h.errors).containsEntry(call, ErrorCode.WRONG_EPOCH);
    assertThat(h.node("a").applied).isEmpty();
  }

  // Invariant 7: a fenced node serves no reads and accepts no writes.
  @Test
  void fencedNodeServesNothing() {
    h.run("a", new Event.FenceChanged(true));
    h.run("c", new Event.FenceChanged(true));
    long w = h.write("a", "cl", 1, "k", "v");
    long r = h.read("c", "k");
    assertThat(h.errors).containsEntry(w, ErrorCode.FENCED).containsEntry(r, ErrorCode.FENCED);
    assertThat(h.node("a").applied).isEmpty();
    h.run("c", new Event.FenceChanged(false));
    long r2 = h.read("c", "k");
    assertThat(h.servedReads).containsExactly(r2);
  }

  // Invariant 7 / §4a zombies: a node whose session expired (SIGSTOP past the session timeout)
  // registers again with a new session; until it has a configuration newer than its old one it
  // must not answer a single read or write from its old role.
  @Test
  void replacedSessionServesNothingUntilANewerEpoch() {
    h.run("c", new Event.SessionReplaced());
    long r = h.read("c", "k");
    assertThat(h.errors).containsEntry(r, ErrorCode.FENCED);
    h.configure(ChainView.of(7, 2, List.of("a", "b", "c")), "c");
    h.view = ChainView.of(7, 2, List.of("a", "b", "c"));
    long r2 = h.read("c", "k");
    assertThat(h.servedReads).containsExactly(r2);
  }

  // Invariant 8: a retry of a committed request returns the stored result without a new write;
  // a retry of a pending request waits for it and both calls are answered once.
  @Test
  void exactlyOnceRetries() {
    long first = h.write("a", "cl", 1, "k", "v");
    long retryPending = h.write("a", "cl", 1, "k", "v");
    assertThat(h.node("a").applied).hasSize(1);
    h.settle();
    assertThat(h.replies.get(first)).isEqualTo(h.replies.get(retryPending));
    long retryCommitted = h.write("a", "cl", 1, "k", "v");
    assertThat(h.replies.get(retryCommitted)).isEqualTo(h.replies.get(first));
    assertThat(h.node("c").applied).hasSize(1);
    assertThat(h.replyCount.values()).containsOnly(1);
  }

  // Invariant 8: the dedup record is replicated with the write, so a new head after failover
  // answers a retry of a request the old head accepted with the stored result.
  @Test
  void dedupSurvivesHeadFailover() {
    long call = h.write("a", "cl", 1, "k", "v");
    h.settle();
    long seq = h.replies.get(call).getSeq();
    h.isolate("a");
    h.configure(ChainView.of(7, 2, List.of("b", "c")), "b", "c");
    h.connectAll();
    h.settle();
    long retry = h.write("b", "cl", 1, "k", "v");
    assertThat(h.replies.get(retry).getSeq()).isEqualTo(seq);
    assertThat(h.node("c").applied).hasSize(1);
  }

  // CR §3 "Failure of the head": the successor becomes head and continues the sequence.
  @Test
  void headFailureSuccessorContinues() {
    h.write("a", "cl", 1, "k", "v1");
    h.settle();
    h.write("a", "cl", 2, "k", "v2"); // only the old head has it: never acked
    h.isolate("a");
    h.configure(ChainView.of(7, 2, List.of("b", "c")), "b", "c");
    h.connectAll();
    h.settle();
    long call = h.write("b", "cl", 2, "k", "v2"); // the client retries with the same id
    h.settle();
    assertThat(h.replies.get(call).getSeq()).isEqualTo(2);
    assertThat(h.node("c").applied.keySet()).containsExactly(1L, 2L);
    assertPrefix("b", "c");
  }

  // CR §3 "Failure of the tail": the predecessor becomes tail and commits its Sent list; the
  // head then answers the clients that were waiting.
  @Test
  void tailFailurePredecessorCommitsSentList() {
    long c1 = h.write("a", "cl", 1, "k", "v1");
    long c2 = h.write("a", "cl", 2, "k", "v2");
    h.syncAll();
    h.deliverOne("a", "b");
    h.deliverOne("a", "b");
    h.syncAll(); // b has both durably; c never got them
    h.isolate("c");
    h.configure(ChainView.of(7, 2, List.of("a", "b")), "a", "b");
    h.connectAll();
    h.settle();
    assertThat(h.replies).containsKeys(c1, c2);
    assertThat(h.node("b").replica.status().acked()).isEqualTo(2);
  }

  // CR §3 "Failure of other servers" (middle): predecessor and new successor handshake; the
  // successor reports its highest seq and the predecessor resends its Sent list after it.
  @Test
  void middleFailureResendsSentListAfterSuccessorsHighest() {
    var h4 = new ChainHarness(7, List.of("a", "b", "c", "d"));
    h4.configure(ChainView.of(7, 1, List.of("a", "b", "c", "d")));
    h4.connectAll();
    h4.settle();
    long[] calls =
        LongStream.rangeClosed(1, 4).map(i -> h4.write("a", "cl", i, "k" + i, "v")).toArray();
    h4.syncAll();
    for (int i = 0; i < 4; i++) {
      h4.deliverOne("a", "b");
    }
    h4.deliverOne("b", "c"); // c has seq 1 only
    h4.isolate("b");
    h4.configure(ChainView.of(7, 2, List.of("a", "c", "d")), "a", "c", "d");
    h4.connectAll();
    h4.settle();
    for (String n : List.of("a", "c", "d")) {
      assertThat(h4.node(n).applied.keySet()).containsExactly(1L, 2L, 3L, 4L);
    }
    for (long c : calls) {
      assertThat(h4.replies).containsKey(c);
    }
    assertThat(h4.replyCount.values()).containsOnly(1);
  }

  // CR §3 "Failure of other servers" (middle), with the new view reaching the successor first:
  // its Hello and its ack of everything it holds arrive while the predecessor is still in the old
  // epoch. The early Hello is replayed when the view arrives, but the ack was refused; with
  // nothing left to resend, the handshake's SentThrough must draw the ack again, or the head
  // never replies and the chain stalls until another write flows (found by the simulation).
  @Test
  void ackRefusedBeforeThePredecessorHadTheEpochIsSentAgainAfterTheHandshake() {
    long call = h.write("a", "cl", 1, "k", "v");
    h.settleHolding(java.util.Set.of("b->a")); // c committed, b acked; the ack to a is lost
    h.isolate("b");
    ChainView next = ChainView.of(7, 2, List.of("a", "c"));
    h.configure(next, "c");
    h.connectAll(); // c opens its stream to a in epoch 2: Hello 1, ack 1
    h.deliverOne("c", "a");
    h.deliverOne("c", "a");
    assertThat(h.replies).doesNotContainKey(call);
    h.configure(next, "a");
    h.settle();
    assertThat(h.replies).containsKey(call);
    assertThat(h.node("a").replica.pendingSeqs()).isEmpty();
  }

  // §4a "Broken streams": a reconnect without membership change uses the same handshake and
  // never assumes the new stream starts where the old one stopped.
  @Test
  void brokenStreamReconnectsWithHandshake() {
    h.write("a", "cl", 1, "k", "v1");
    h.write("a", "cl", 2, "k", "v2");
    h.deliverOne("a", "b");
    h.links.get("a->b").clear(); // seq 2 lost with the broken stream
    h.run("a", new Event.DownstreamLost());
    long c3 = h.write("a", "cl", 3, "k", "v3"); // not forwarded until the handshake
    assertThat(h.queued("a", "b")).isZero();
    h.run("b", new Event.UpstreamOpened(1));
    h.settle();
    assertThat(h.node("c").applied.keySet()).containsExactly(1L, 2L, 3L);
    assertThat(h.replies).containsKey(c3);
  }

  // Regression (simulation seed 19): the successor learns the new epoch first and says Hello in
  // it; the predecessor, still in the old epoch, must not lose that Hello, or the chain never
  // forwards again.
  @Test
  void helloFromNewerEpochIsReplayedOnceTheEpochArrives() {
    h.write("a", "cl", 1, "k", "v1");
    h.isolate("a");
    ChainView e2 = ChainView.of(7, 2, List.of("b", "c"));
    h.configure(e2, "c");
    h.connectAll(); // c says Hello(epoch 2) to b, which is still in epoch 1
    h.settle();
    h.configure(e2, "b");
    long call = h.write("b", "cl", 2, "k", "v2");
    h.settle();
    assertThat(h.replies).containsKey(call);
    var atTail = h.node("c").applied;
    assertThat(atTail.lastEntry().getValue().getPutManifest().getVersionId()).isEqualTo("v2");
  }

  // A predecessor that restarted with a shorter history may reuse a seq for a different write:
  // the successor must not acknowledge it as a resend of what it holds.
  @Test
  void divergentResendIsNotAcknowledged() {
    h.write("a", "cl", 1, "k", "v1");
    h.sync("a");
    h.deliverOne("a", "b"); // b holds seq 1 = v1, not yet acknowledged
    var other =
        ChainMessage.newBuilder()
            .setChainId(7)
            .setEpoch(1)
            .setForward(
                Forward.newBuilder().setSeq(1).setOp(ChainHarness.op("other", 1, "k", "v-other")))
            .build();
    int acksBefore = h.queued("b", "a");
    h.run("b", new Event.FromUpstream(other));
    assertThat(h.queued("b", "a")).isEqualTo(acksBefore);
    assertThat(h.node("b").anomalies).anyMatch(a -> a.contains("diverged at seq 1"));
  }

  // Restart: the replication log makes the Sent list durable, so a restarted head resends what
  // its successor lacks.
  @Test
  void restartedHeadResendsFromDurableLog() {
    h.write("a", "cl", 1, "k", "v1");
    h.sync("a");
    h.isolate("a");
    var a = h.node("a");
    a.replica = new ChainReplica("a", 7, a.recover(), 1000);
    a.upstream = null;
    h.configure(h.view, "a");
    h.run("b", new Event.UpstreamOpened(1));
    h.settle();
    assertThat(h.node("c").applied.keySet()).containsExactly(1L);
    assertThat(h.node("a").replica.status().acked()).isEqualTo(1);
  }

  @Test
  void windowBoundsInFlightWrites() {
    var small = new ChainReplica("s", 1, RecoveredState.empty(), 2);
    small.handle(new Event.ConfigChanged(ChainView.of(1, 1, List.of("s", "t"))));
    List<Effect> e1 = small.handle(new Event.ClientWrite(1, ChainHarness.op("c", 1, "k", "v"), 1));
    small.handle(new Event.ClientWrite(2, ChainHarness.op("c", 2, "k", "v"), 1));
    List<Effect> e3 = small.handle(new Event.ClientWrite(3, ChainHarness.op("c", 3, "k", "v"), 1));
    assertThat(e1).anyMatch(e -> e instanceof Effect.Persist);
    assertThat(e3)
        .singleElement()
        .isInstanceOfSatisfying(
            Effect.ReplyError.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.OVERLOADED));
  }

  // TigerBeetle-style bounded window: one write may carry a 16 MiB chunk, so the window is bounded
  // in bytes too; a write larger than the bound still goes when nothing else is in flight.
  @Test
  void windowBoundsInFlightBytes() {
    WriteOp big = ChainHarness.op("c", 1, "k1", "x".repeat(600));
    long bound = big.getSerializedSize() + 100L; // room for one big write, not two
    var small = new ChainReplica("s", 1, RecoveredState.empty(), 1000, bound);
    small.handle(new Event.ConfigChanged(ChainView.of(1, 1, List.of("s", "t"))));
    assertThat(small.handle(new Event.ClientWrite(1, big, 1)))
        .anyMatch(e -> e instanceof Effect.Persist);
    assertThat(small.status().pendingBytes()).isEqualTo(big.getSerializedSize());
    WriteOp second = ChainHarness.op("c", 2, "k2", "y".repeat(600));
    assertThat(small.handle(new Event.ClientWrite(2, second, 1)))
        .singleElement()
        .isInstanceOfSatisfying(
            Effect.ReplyError.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.OVERLOADED));
    WriteOp tiny = ChainHarness.op("c", 2, "k2", "y");
    assertThat(small.handle(new Event.ClientWrite(3, tiny, 1)))
        .anyMatch(e -> e instanceof Effect.Persist);

    var alone = new ChainReplica("s", 1, RecoveredState.empty(), 1000, 10);
    alone.handle(new Event.ConfigChanged(ChainView.of(1, 1, List.of("s"))));
    assertThat(alone.handle(new Event.ClientWrite(1, big, 1)))
        .anyMatch(e -> e instanceof Effect.Persist);
    alone.handle(new Event.Durable(1, 0)); // committed at the only member: the window empties
    assertThat(alone.status().pendingBytes()).isZero();
    assertThat(alone.handle(new Event.ClientWrite(2, second, 1)))
        .anyMatch(e -> e instanceof Effect.Persist);
  }

  // CR §3 "adding a tail": the predecessor grants a joiner's snapshot request once everything it
  // received is durable, with its own effect (a grant is not a client read).
  @Test
  void snapshotGrantWaitsForEverythingReceivedToBeDurable() {
    h.write("a", "cl", 1, "k", "v"); // the head holds seq 1, not yet durable
    List<Effect> waiting = h.node("a").replica.handle(new Event.SnapshotGrant(90, "b", 1));
    assertThat(waiting).isEmpty();
    List<Effect> granted = h.node("a").replica.handle(new Event.Durable(1, h.node("a").history));
    assertThat(granted).contains(new Effect.GrantSnapshot(90));
    assertThat(granted).noneMatch(e -> e instanceof Effect.ServeRead);
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  // Invariants 1–4 under random interleavings of delivery and durability on a 3-node chain.
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomInterleavingsKeepPrefixAndCommitRules(long seed) {
    var rnd = new SplittableRandom(seed);
    int writes = 0;
    for (int step = 0; step < 400; step++) {
      int choice = rnd.nextInt(6);
      switch (choice) {
        case 0 -> h.write("a", "cl", ++writes, "k" + rnd.nextInt(5), "v" + writes);
        case 1 -> h.deliverOne("a", "b");
        case 2 -> h.deliverOne("b", "c");
        case 3 -> h.deliverOne(rnd.nextBoolean() ? "c" : "b", rnd.nextBoolean() ? "b" : "a");
        default -> h.sync(List.of("a", "b", "c").get(rnd.nextInt(3)));
      }
      assertPrefix("a", "b", "c");
      long tailDurable = h.node("c").durable;
      for (long call : h.replies.keySet()) {
        assertThat(h.replies.get(call).getSeq())
            .as("seed %d: reply before commit", seed)
            .isLessThanOrEqualTo(tailDurable);
      }
    }
    h.settle();
    assertThat(h.replies).as("seed %d", seed).hasSize(writes);
    assertThat(h.replyCount.values()).containsOnly(1);
  }

  private void assertPrefix(String... chain) {
    for (int i = 0; i + 1 < chain.length; i++) {
      var before = h.node(chain[i]).applied;
      var after = h.node(chain[i + 1]).applied;
      assertThat(before.keySet()).containsAll(after.keySet());
      after.forEach((seq, op) -> assertThat(before.get(seq)).isEqualTo(op));
      // The difference is the predecessor's pending (Sent) list.
      List<Long> diff = before.keySet().stream().filter(s -> !after.containsKey(s)).toList();
      assertThat(h.node(chain[i]).replica.pendingSeqs()).containsAll(diff);
    }
  }

  // Invariants 3 and 4 under a storage failure: a replica whose persist failed never reports
  // anything durable again, so neither the failed write nor any write behind it is acknowledged,
  // and the calls waiting on it fail with FENCED (fail-stop).
  @Test
  void afterAStorageFailureNothingIsAcknowledgedAndCallsAreRefused() {
    long first = h.write("a", "cl", 1, "k1", "v1");
    h.settle();
    assertThat(h.replies).containsKey(first);

    long second = h.write("a", "cl", 2, "k2", "v2");
    h.run("c", new Event.StorageFailed("injected"));
    h.settle(); // the tail's Durable for seq 2 arrives after the failure
    assertThat(h.replies).doesNotContainKey(second);
    assertThat(h.node("c").replica.status().acked()).isEqualTo(1);

    h.run("a", new Event.StorageFailed("injected"));
    assertThat(h.errors.get(second)).isEqualTo(ErrorCode.FENCED);
    long refused = h.write("a", "cl", 3, "k3", "v3");
    assertThat(h.errors.get(refused)).isEqualTo(ErrorCode.FENCED);
    h.run("a", new Event.FenceChanged(false)); // a renewed lease does not lift it
    long stillRefused = h.write("a", "cl", 4, "k4", "v4");
    assertThat(h.errors.get(stillRefused)).isEqualTo(ErrorCode.FENCED);
  }

  // Write-once chunk ids: while a chunk write is pending, a write of the same id with other bytes
  // is refused; one with the same bytes is accepted (an identical retry).
  @Test
  void aPendingChunkRefusesAWriteOfOtherBytesUnderItsId() {
    var first = chunk("c1", 1, "v/0", "bytes one");
    long pendingCall = h.write("a", first, 1);
    long conflicting = h.write("a", chunk("c2", 1, "v/0", "bytes two"), 1);
    assertThat(h.errors.get(conflicting)).isEqualTo(ErrorCode.CHUNK_EXISTS);
    long identical = h.write("a", chunk("c3", 1, "v/0", "bytes one"), 1);
    assertThat(h.errors).doesNotContainKey(identical);
    h.settle();
    assertThat(h.replies).containsKeys(pendingCall, identical);
  }

  private static dev.catena.proto.v1.WriteOp chunk(
      String client, long requestSeq, String id, String content) {
    var data = com.google.protobuf.ByteString.copyFromUtf8(content);
    var crc = new java.util.zip.CRC32C();
    crc.update(data.asReadOnlyByteBuffer());
    return dev.catena.proto.v1.WriteOp.newBuilder()
        .setClientId(client)
        .setRequestSeq(requestSeq)
        .setPutChunk(
            dev.catena.proto.v1.PutChunk.newBuilder()
                .setChunkId(id)
                .setData(data)
                .setCrc32C((int) crc.getValue()))
        .build();
  }

  // DESIGN §7 fencing: while a write under token 7 is pending, a write of the same scope under a
  // lower token is refused (the runtime checks the marks storage already holds).
  @Test
  void aPendingHigherTokenRefusesALowerOne() {
    var newer =
        ChainHarness.op("c1", 1, "k", "v7").toBuilder()
            .setFencingScope("lock/k")
            .setFencingToken(7)
            .build();
    var older =
        ChainHarness.op("c2", 1, "k", "v5").toBuilder()
            .setFencingScope("lock/k")
            .setFencingToken(5)
            .build();
    long first = h.write("a", newer, 1);
    long stale = h.write("a", older, 1);
    assertThat(h.errors.get(stale)).isEqualTo(ErrorCode.STALE_TOKEN);
    h.settle();
    assertThat(h.replies).containsKey(first);
  }
}
