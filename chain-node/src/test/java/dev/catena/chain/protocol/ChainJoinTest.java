package dev.catena.chain.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.WriteOp;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Adding a tail by snapshot + catch-up (CR §3 "Adding a new tail"; DESIGN.md §4 "Add a tail", §4a
 * "Snapshot cut", "Rejoin with old data", "Tail hand-over and stale reads").
 */
class ChainJoinTest {
  private ChainHarness h;

  @BeforeEach
  void chainOfThreeWithHistory() {
    h = new ChainHarness(3, List.of("a", "b", "c"));
    h.configure(ChainView.of(3, 1, List.of("a", "b", "c")));
    h.connectAll();
    for (int i = 1; i <= 5; i++) {
      h.write("a", "cl", i, "k" + (i % 3), "v" + i);
    }
    h.settle();
  }

  private void join(String id) {
    if (!h.nodes.containsKey(id)) {
      h.addNode(id, RecoveredState.empty());
    }
    h.configure(new ChainView(3, 2, List.of("a", "b", "c"), List.of(id)));
    h.connectAll();
  }

  // CR §3 / §4a: the joiner installs a snapshot cut at s0 and receives every write after s0 by
  // forwarding, while writes continue; nothing between the cut and forwarding is lost.
  @Test
  void joinerGetsSnapshotThenForwardsWithoutGap() {
    join("d");
    h.deliverOne("d", "c"); // Hello
    h.deliverOne("c", "d"); // NeedSnapshot(cut = 5)
    assertThat(h.node("d").installing).isEqualTo(5);
    // Writes continue during the install.
    for (int i = 6; i <= 9; i++) {
      h.write("a", "cl", i, "k" + (i % 3), "v" + i);
    }
    h.settle();
    assertThat(h.node("d").caughtUp).isEqualTo(-1);
    h.finishInstall("d");
    // Installed, but caught up only once the tail counts it in commit and it holds SentThrough.
    assertThat(h.node("d").caughtUp).isEqualTo(-1);
    h.settle();
    assertThat(h.node("d").caughtUp).isEqualTo(2);
    assertThat(h.node("d").applied).isEqualTo(h.node("c").applied);
    // Commit never waited for the joiner.
    assertThat(h.replies).hasSize(9);
  }

  // A live tail the coordinator removes is first marked leaving: it still commits, but serves no
  // read (a waiting one is refused) and reports that it has taken up the epoch; only then does
  // its predecessor become the tail (ChainMember.leaving).
  @Test
  void leavingTailCommitsButServesNoRead() {
    long waiting = h.read("c", "k1");
    assertThat(h.servedReads).contains(waiting);
    long w = h.write("a", "cl", 6, "k1", "during-leave");
    h.deliverOne("a", "b");
    h.deliverOne("b", "c"); // c holds it, not yet durable: a read of k1 waits
    long deferred = h.read("c", "k1");
    assertThat(h.servedReads).doesNotContain(deferred);

    var leaving = new ChainView(3, 2, List.of("a", "b", "c"), List.of(), java.util.Set.of("c"));
    h.configure(leaving);
    h.connectAll();
    h.settle();
    assertThat(h.errors).containsEntry(deferred, ErrorCode.NOT_TAIL);
    assertThat(h.node("c").caughtUp).isEqualTo(2);
    assertThat(h.replies).containsKey(w); // writes still commit at the leaving tail
    long refused = h.read("c", "k1");
    assertThat(h.errors).containsEntry(refused, ErrorCode.NOT_TAIL);
  }

  // A SYNCING joiner serves nothing.
  @Test
  void joinerServesNoReads() {
    join("d");
    h.settle();
    h.finishInstall("d");
    long r = h.read("d", "k1");
    assertThat(h.errors).containsEntry(r, ErrorCode.NOT_TAIL);
  }

  // §4a "Tail hand-over and stale reads": after promotion every write committed in the new epoch
  // passed the old tail carrying the new epoch, so the old tail refuses reads from then on.
  @Test
  void promotedTailCommitsAndOldTailStopsServing() {
    join("d");
    h.settle();
    h.finishInstall("d");
    ChainView promoted = ChainView.of(3, 3, List.of("a", "b", "c", "d"));
    h.configure(promoted, "a", "b", "d"); // c has not seen epoch 3 yet
    h.connectAll();
    long w = h.write("a", "cl", 10, "k1", "new");
    h.settle();
    // The write is stuck at c (epoch 2) until c learns epoch 3; nothing committed it.
    assertThat(h.replies).doesNotContainKey(w);
    assertThat(h.node("c").replica.status().awaitingConfig()).isTrue();
    long staleRead = h.read("c", "k1");
    assertThat(h.errors).containsEntry(staleRead, ErrorCode.WRONG_EPOCH);
    h.configure(promoted, "c");
    h.connectAll();
    h.settle();
    assertThat(h.replies).containsKey(w);
    assertThat(h.node("d").applied).isEqualTo(h.node("a").applied);
    long oldTailRead = h.read("c", "k1");
    assertThat(h.errors).containsEntry(oldTailRead, ErrorCode.NOT_TAIL);
  }

  // A joiner lags its predecessor. Once installed it takes part in commit: the tail answers no
  // write the joiner has not acknowledged, so when the coordinator promotes it (after its caught-up
  // report) it holds every committed write — otherwise a client could read the value before its
  // own acknowledged write, and losing the old tail would lose writes its predecessor had already
  // dropped (found by catena check and the simulation). As a second guard a promoted tail serves
  // no read until its predecessor's SentThrough in the new epoch is durable here.
  @Test
  void installedJoinerTakesPartInCommitAndPromotedTailWaitsForSentThrough() {
    join("d");
    h.settle();
    h.finishInstall("d");
    h.settle();
    assertThat(h.node("d").caughtUp).isEqualTo(2);
    long w = h.write("a", "cl", 10, "k1", "needs-the-joiner");
    h.settleHolding(Set.of("c->d")); // the forward to the joiner lags
    assertThat(h.replies).doesNotContainKey(w); // the tail waits for the joiner's ack
    long dirty = h.read("c", "k1"); // durable at the tail, not committed: the read waits
    assertThat(h.servedReads).doesNotContain(dirty);
    long seq = h.node("c").applied.lastKey();
    assertThat(h.node("d").applied).doesNotContainKey(seq);

    h.configure(ChainView.of(3, 3, List.of("a", "b", "c", "d")));
    long read = h.read("d", "k1");
    assertThat(h.servedReads).doesNotContain(read);
    assertThat(h.errors).doesNotContainKey(read); // it waits, it is not refused

    h.connectAll();
    h.settle();
    assertThat(h.node("d").applied).containsKey(seq);
    assertThat(h.replies).containsKey(w);
    assertThat(h.servedReads).contains(read);
    assertThat(h.errors).containsKey(dirty); // abandoned when c stopped being the tail
  }

  // §4a "Rejoin with old data": a node that returns with writes that were never committed (seqs
  // since reassigned by a new head) must not keep them; the install replaces its state.
  @Test
  void rejoinerWithDivergentHistoryIsRolledBack() {
    var bogus = new TreeMap<Long, WriteOp>();
    for (long s = 1; s <= 7; s++) {
      bogus.put(s, ChainHarness.op("old", s, "k1", "uncommitted-" + s));
    }
    var d = h.addNode("d", new RecoveredState(7, 0, bogus, List.of()));
    d.applied.putAll(bogus);
    join("d");
    h.settle();
    h.finishInstall("d");
    h.write("a", "cl", 6, "k2", "after");
    h.settle();
    assertThat(h.node("d").applied).isEqualTo(h.node("c").applied);
    assertThat(h.node("d").applied.values())
        .noneMatch(op -> op.getPutManifest().getVersionId().startsWith("uncommitted"));
  }

  // The tail keeps writes for a SYNCING successor until it acknowledges them, so a broken stream
  // during the join is repaired by the same handshake (which restarts the install).
  @Test
  void brokenJoinStreamRestartsTheInstall() {
    join("d");
    h.settle();
    h.finishInstall("d");
    h.write("a", "cl", 6, "k1", "x");
    h.deliverOne("a", "b");
    h.deliverOne("b", "c");
    h.links.remove("c->d");
    h.run("c", new Event.DownstreamLost());
    h.run("d", new Event.UpstreamOpened(2));
    h.settle();
    h.finishInstall("d");
    h.settle();
    assertThat(h.node("d").applied).isEqualTo(h.node("c").applied);
  }

  // A node restarted after a join was cut short holds partial data: even if an old configuration
  // still names it tail or head, it serves nothing until a new join installs a snapshot.
  @Test
  void partialReplicaServesNothingUntilItJoinsAgain() {
    var partial = new ChainReplica("c", 3, RecoveredState.partial(), 100);
    partial.handle(new Event.ConfigChanged(ChainView.of(3, 1, List.of("c"))));
    List<Effect> read = partial.handle(new Event.ClientRead(1, "o/b/k", 1));
    List<Effect> write =
        partial.handle(new Event.ClientWrite(2, ChainHarness.op("x", 1, "k", "v"), 1));
    assertThat(read)
        .singleElement()
        .isInstanceOfSatisfying(
            Effect.ReplyError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_TAIL));
    assertThat(write)
        .singleElement()
        .isInstanceOfSatisfying(
            Effect.ReplyError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_HEAD));
  }

  // Found by catena check: a joiner promoted while a second install was running lost its snapshot
  // stream (the old tail, now a middle, refused it) and then served reads from partial data. A
  // partial member now asks any predecessor for a snapshot on every handshake and serves nothing
  // until it is installed.
  @Test
  void partialActiveTailGetsASnapshotFromAMiddlePredecessor() {
    h.nodes.remove("c");
    h.links.clear();
    var c = h.addNode("c", RecoveredState.partial());
    h.configure(ChainView.of(3, 2, List.of("a", "b", "c")));
    h.connectAll();
    h.settle();
    assertThat(c.installing).isEqualTo(5);
    long early = h.read("c", "k1");
    assertThat(h.errors).containsEntry(early, ErrorCode.NOT_TAIL);
    long w = h.write("a", "cl", 6, "k1", "during");
    h.settle();
    h.finishInstall("c");
    h.settle();
    assertThat(h.replies).containsKey(w);
    assertThat(c.applied).isEqualTo(h.node("b").applied);
    long later = h.read("c", "k1");
    assertThat(h.servedReads).contains(later);
  }
}
