package dev.catena.chain.protocol;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.Hello;
import dev.catena.proto.v1.Reject;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chain replication protocol for one replica of one chain (van Renesse &amp; Schneider, OSDI
 * 2004), as a pure state machine: {@link #handle(Event)} takes one event and returns the effects
 * the runtime must execute, in order, before the next event. It does no I/O, starts no threads and
 * reads no clock; every input arrives as an {@link Event}.
 *
 * <h2>State</h2>
 *
 * <ul>
 *   <li>{@code last} — highest seq received in order (the length of this replica's history);
 *   <li>{@code durable} — highest seq durable in local storage ({@code durable ≤ last});
 *   <li>{@code downAcked} — highest seq the successor acknowledged (committed at the tail);
 *   <li>{@code acked} — highest seq this replica has passed upstream (or answered, at the head):
 *       {@code min(durable, tail ? durable : downAcked)};
 *   <li>{@code pending} — writes in {@code (acked, last]}: the Sent list plus, at the tail, the
 *       writes still being made durable. Its entries survive restarts through the replication log.
 * </ul>
 *
 * <h2>Invariants (DESIGN.md §4), asserted by {@code ChainReplicaTest} and the simulation</h2>
 *
 * <ol>
 *   <li><b>Prefix</b>: for replicas i before j, history_j is a prefix of history_i; the difference
 *       is i's pending list. Resends after a handshake start right after the successor's highest
 *       seq, and a replica accepts seq n only as {@code last + 1}.
 *   <li><b>In order</b>: {@link Effect.Persist} is emitted for seq n only after n−1, exactly once
 *       per replica life; duplicates (resends of what it has) are acknowledged, not re-applied.
 *   <li><b>Commit at tail</b>: a write is committed when the tail has it durably; a replica passes
 *       an ack upstream only for writes that are durable locally <i>and</i> acknowledged
 *       downstream.
 *   <li><b>Client reply after commit</b>: the head answers a write when its ack comes back and its
 *       own copy is durable.
 *   <li><b>Reads</b> are served only by the tail, only for committed state: a read of a key with a
 *       write not yet committed waits until it is; a tail promoted from SYNCING serves nothing
 *       until it holds every write its predecessor sent ({@code SentThrough}, see {@link
 *       DeferredReads}).
 *   <li><b>Epoch fencing</b>: a message with an older epoch is answered with {@link Reject}
 *       carrying the current epoch; a replica that sees a newer epoch stops serving until it has
 *       that configuration.
 *   <li><b>Self-fencing</b>: while fenced (lease lapsed or session lost) nothing is served. After
 *       {@link Event.StorageFailed} the replica is fenced for good (fail-stop): {@code durable}
 *       never advances again, so no write behind a failed persist is ever acknowledged.
 *   <li><b>Exactly-once</b>: every write carries (clientId, requestSeq); the dedup record is part
 *       of the replicated write, a retry of a committed request returns the stored result and a
 *       retry of a pending one waits for it.
 * </ol>
 */
public final class ChainReplica {
  /** A tail keeps at most this many times the write window for a lagging SYNCING successor. */
  static final int RETENTION_FACTOR = 4;

  private final String nodeId;
  private final int chainId;

  /** The head's in-flight window in bytes when the runtime names none (four 16 MiB chunks). */
  public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;

  private final int maxPending;
  private final long maxPendingBytes;
  private final ClientSessions sessions = new ClientSessions();
  private final SentList pending = new SentList();
  private final Map<String, Long> dirtyKeys = new HashMap<>();
  private final DeferredReads deferredReads = new DeferredReads(Effect.ServeRead::new);
  private final DeferredReads snapshotGrants = new DeferredReads(Effect.GrantSnapshot::new);
  private final JoinProgress join = new JoinProgress();

  private ChainView view;
  private Role role = Role.NOT_MEMBER;
  private long newestEpochSeen;
  private boolean fenced;
  private boolean downstreamReady;
  private long last;
  private long durable;
  private long downAcked;
  private long acked;

  /** A Hello (and its sender) that arrived with a newer epoch, replayed once we reach it. */
  private Event.FromDownstream earlyHello;

  /** Rollbacks of uncommitted writes so far; tags each Persist (see {@link Event.Durable}). */
  private long history;

  /** Cut of the snapshot being installed (SYNCING joiner), or -1. */
  private long installingCut = -1;

  /** Data incomplete (installing, or an install cut short): serves nothing, asks for a snapshot. */
  private boolean partial;

  /** Client calls are refused below this epoch (set when the node's session was replaced). */
  private long minServingEpoch;

  /**
   * @param nodeId this node
   * @param chainId the chain this replica belongs to
   * @param recovered what local storage holds for this chain
   * @param maxPending bound on writes in flight at the head; further writes get {@code OVERLOADED}
   */
  public ChainReplica(String nodeId, int chainId, RecoveredState recovered, int maxPending) {
    this(nodeId, chainId, recovered, maxPending, DEFAULT_MAX_PENDING_BYTES);
  }

  /**
   * @param nodeId this node
   * @param chainId the chain this replica belongs to
   * @param recovered what local storage holds for this chain
   * @param maxPending bound on writes in flight at the head; further writes get {@code OVERLOADED}
   * @param maxPendingBytes bound on their encoded size: a write that would pass it gets {@code
   *     OVERLOADED} unless nothing is in flight (one write larger than the bound still goes)
   */
  public ChainReplica(
      String nodeId, int chainId, RecoveredState recovered, int maxPending, long maxPendingBytes) {
    if (maxPending < 1 || maxPendingBytes < 1) {
      throw new IllegalArgumentException("maxPending and maxPendingBytes must be positive");
    }
    this.nodeId = nodeId;
    this.chainId = chainId;
    this.maxPending = maxPending;
    this.maxPendingBytes = maxPendingBytes;
    this.last = recovered.lastSeq();
    this.durable = recovered.lastSeq();
    this.acked = recovered.committedSeq();
    this.downAcked = recovered.committedSeq();
    this.view = ChainView.of(chainId, 0, List.of());
    this.partial = recovered.resyncRequired(); // a join cut short: serve nothing until a new one
    recovered.log().forEach((seq, op) -> addPending(seq, op, WriteOps.resultOf(seq, op)));
    recovered
        .dedup()
        .forEach(d -> sessions.load(d.clientId(), d.requestSeq(), d.ackedBelow(), d.result()));
  }

  /** Local storage failed: fenced for good, nothing becomes durable any more (fail-stop). */
  private boolean storageFailed;

  /** Handles one event and returns the effects to execute, in order. */
  public List<Effect> handle(Event event) {
    var out = new ArrayList<Effect>();
    if (storageFailed) {
      refuseAfterStorageFailure(event, out);
    } else if (event instanceof Event.StorageFailed e) {
      onStorageFailed(e.reason(), out);
    } else if (event instanceof Event.ConfigChanged e) {
      onConfig(e.view(), out);
    } else if (event instanceof Event.ClientWrite e) {
      onClientWrite(e, out);
    } else if (event instanceof Event.ClientRead e) {
      onClientRead(e, out);
    } else if (event instanceof Event.SessionReplaced) {
      minServingEpoch = view.epoch() + 1;
      failDeferredReads(ErrorCode.FENCED, out);
    } else if (event instanceof Event.SnapshotGrant e) {
      onSnapshotGrant(e, out);
    } else if (event instanceof Event.FromUpstream e) {
      onFromUpstream(e.message(), out);
    } else if (event instanceof Event.FromDownstream e) {
      onFromDownstream(e.fromNode(), e.message(), out);
    } else if (event instanceof Event.UpstreamOpened e) {
      onUpstreamOpened(e.epoch(), out);
    } else if (event instanceof Event.DownstreamLost) {
      downstreamReady = false;
    } else if (event instanceof Event.Durable e) {
      onDurable(e.seq(), e.history(), out);
    } else if (event instanceof Event.SnapshotInstalled e) {
      onSnapshotInstalled(e, out);
    } else if (event instanceof Event.SnapshotFailed e) {
      if (e.cut() == installingCut) {
        // The data stays partial (the join dropped the old state): ask again on a new stream.
        installingCut = -1;
        out.add(new Effect.Anomaly("snapshot at cut " + e.cut() + " failed: " + e.reason()));
        out.add(new Effect.OpenUpstream(view.predecessor(nodeId).orElse(null), view.epoch()));
      }
    } else if (event instanceof Event.FenceChanged e) {
      fenced = e.fenced();
      if (fenced) {
        failDeferredReads(ErrorCode.FENCED, out);
      }
    }
    return out;
  }

  private void onStorageFailed(String reason, List<Effect> out) {
    storageFailed = true;
    fenced = true;
    out.add(new Effect.Anomaly("storage failed (" + reason + "): replica stopped"));
    for (PendingWrite e : pending.writes()) {
      for (long call : e.waitingCalls) {
        out.add(error(call, ErrorCode.FENCED, "node " + nodeId + " storage failed"));
      }
      e.waitingCalls.clear();
    }
    failDeferredReads(ErrorCode.FENCED, out);
  }

  /** After a storage failure client calls are refused and everything else is ignored. */
  private void refuseAfterStorageFailure(Event event, List<Effect> out) {
    long callId =
        event instanceof Event.ClientWrite w
            ? w.callId()
            : event instanceof Event.ClientRead r
                ? r.callId()
                : event instanceof Event.SnapshotGrant g ? g.callId() : -1;
    if (callId >= 0) {
      out.add(error(callId, ErrorCode.FENCED, "node " + nodeId + " storage failed"));
    }
  }

  private void onConfig(ChainView next, List<Effect> out) {
    if (next.chainId() != chainId) {
      throw new IllegalArgumentException("view of chain " + next.chainId() + " at " + chainId);
    }
    if (next.epoch() <= view.epoch()) {
      return;
    }
    Role before = role;
    Optional<String> oldPred = view.predecessor(nodeId);
    view = next;
    role = next.roleOf(nodeId);
    newestEpochSeen = Math.max(newestEpochSeen, next.epoch());
    downstreamReady = false;
    if (before.isHead() && !role.isHead()) {
      failWaitingCalls(ErrorCode.NOT_HEAD, out);
    }
    Optional<String> pred = next.predecessor(nodeId);
    deferredReads.roleChanged(before, role, pred.isPresent());
    join.epochChanged(role);
    if (!next.servesReads(nodeId)) { // reads waiting here will not be served now: refuse them
      deferredReads.fail(ErrorCode.NOT_TAIL, next.epoch(), out);
    }
    if (next.leaving().contains(nodeId)) { // tell the coordinator this epoch is taken up
      out.add(new Effect.CaughtUp(next.epoch(), last));
    }
    if (pred.isPresent() || oldPred.isPresent()) {
      out.add(new Effect.OpenUpstream(pred.orElse(null), next.epoch()));
    }
    // CR §3: a new tail commits everything it holds durably; acks flow up.
    advance(out);
    // Replay a Hello sent in this epoch before we had it (found by the simulation).
    if (earlyHello != null && earlyHello.message().getEpoch() <= next.epoch()) {
      Event.FromDownstream hello = earlyHello;
      earlyHello = null;
      if (hello.message().getEpoch() == next.epoch()) {
        onFromDownstream(hello.fromNode(), hello.message(), out);
      }
    }
  }

  private boolean awaitingConfig() {
    return newestEpochSeen > view.epoch();
  }

  private void onClientWrite(Event.ClientWrite e, List<Effect> out) {
    WriteOp op = e.op();
    if (!serving(e.callId(), e.clientEpoch(), out)) {
      return;
    }
    if (!role.isHead() || partial) {
      out.add(error(e.callId(), ErrorCode.NOT_HEAD, "node " + nodeId + " is not head"));
      return;
    }
    if (op.getClientId().isEmpty() || op.getOpCase() == WriteOp.OpCase.OP_NOT_SET) {
      out.add(error(e.callId(), ErrorCode.INVALID_ARGUMENT, "write needs a client id and an op"));
      return;
    }
    Optional<WriteResult> known = sessions.lookup(op.getClientId(), op.getRequestSeq());
    if (known.isPresent()) {
      long seq = known.get().getSeq();
      PendingWrite entry = pending.get(seq);
      if (seq <= acked) {
        out.add(new Effect.ReplyWrite(e.callId(), known.get()));
      } else if (entry != null) {
        entry.waitingCalls.add(e.callId());
      } else {
        out.add(error(e.callId(), ErrorCode.OVERLOADED, "request " + seq + " in transition"));
      }
      return;
    }
    if (sessions.isForgotten(op.getClientId(), op.getRequestSeq())) {
      out.add(error(e.callId(), ErrorCode.INVALID_ARGUMENT, "request below client's acked mark"));
      return;
    }
    if (op.getFencingToken() > 0 && fencedByPending(op)) {
      out.add(
          error(
              e.callId(),
              ErrorCode.STALE_TOKEN,
              "a pending write of " + op.getFencingScope() + " carries a higher token"));
      return;
    }
    if (op.hasPutChunk() && conflictsWithPendingChunk(op)) {
      out.add(
          error(
              e.callId(),
              ErrorCode.CHUNK_EXISTS,
              "chunk " + op.getPutChunk().getChunkId() + " is being written with other bytes"));
      return;
    }
    if (pending.size() >= maxPending
        || (!pending.isEmpty() && pending.bytes() + op.getSerializedSize() > maxPendingBytes)) {
      String held = pending.size() + " writes, " + pending.bytes() + " bytes in flight";
      out.add(
          error(
              e.callId(),
              ErrorCode.OVERLOADED,
              "chain " + chainId + " window full (" + held + ")"));
      return;
    }
    long seq = last + 1;
    PendingWrite entry = append(seq, op, out);
    entry.waitingCalls.add(e.callId());
  }

  /**
   * Fencing (DESIGN §7): a pending write of the same scope with a higher token refuses this one;
   * the runtime checks the high-water mark storage already holds.
   */
  private boolean fencedByPending(WriteOp op) {
    for (PendingWrite p : pending.writes()) {
      if (p.op.getFencingToken() > op.getFencingToken()
          && p.op.getFencingScope().equals(op.getFencingScope())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Write-once chunk ids: a pending (uncommitted) write of the same chunk with other bytes refuses
   * this one; the runtime checks what storage already holds.
   */
  private boolean conflictsWithPendingChunk(WriteOp op) {
    Long seq = dirtyKeys.get(WriteOps.keyOf(op));
    PendingWrite earlier = seq == null ? null : pending.get(seq);
    if (earlier == null || !earlier.op.hasPutChunk()) {
      return false;
    }
    var a = earlier.op.getPutChunk();
    var b = op.getPutChunk();
    return a.getCrc32C() != b.getCrc32C() || a.getData().size() != b.getData().size();
  }

  /** Checks fencing and epoch for a client call; emits the error and returns false if refused. */
  private boolean serving(long callId, long clientEpoch, List<Effect> out) {
    if (fenced || view.epoch() < minServingEpoch) {
      out.add(error(callId, ErrorCode.FENCED, "node " + nodeId + " is fenced"));
      return false;
    }
    if (awaitingConfig() || clientEpoch != view.epoch()) {
      out.add(error(callId, ErrorCode.WRONG_EPOCH, "chain " + chainId + " epoch mismatch"));
      return false;
    }
    return true;
  }

  private void onClientRead(Event.ClientRead e, List<Effect> out) {
    if (!serving(e.callId(), e.clientEpoch(), out)) {
      return;
    }
    if (!view.servesReads(nodeId) || partial) {
      out.add(error(e.callId(), ErrorCode.NOT_TAIL, "node " + nodeId + " is not tail"));
      return;
    }
    // A range read (key == null, e.g. a listing) waits until everything received is durable.
    Long dirty = e.key() == null ? Long.valueOf(last) : dirtyKeys.get(e.key());
    long dirtyUntil = dirty == null ? 0 : dirty;
    if (deferredReads.servable(dirtyUntil, acked)) { // committed: durable here (and at the joiner)
      out.add(new Effect.ServeRead(e.callId()));
    } else {
      deferredReads.add(e.callId(), dirtyUntil);
    }
  }

  private void onSnapshotGrant(Event.SnapshotGrant e, List<Effect> out) {
    boolean successor = view.successor(nodeId).map(e.fromNode()::equals).orElse(false);
    if (fenced || e.epoch() != view.epoch() || awaitingConfig() || !successor || partial) {
      out.add(error(e.callId(), ErrorCode.WRONG_EPOCH, "no snapshot for " + e.fromNode() + " now"));
      return;
    }
    snapshotGrants.add(e.callId(), last);
    snapshotGrants.serve(durable, out);
  }

  /** Applies epoch fencing to a message; returns true if it may be processed. */
  private boolean checkEpoch(ChainMessage m, boolean fromUpstream, List<Effect> out) {
    if (m.getChainId() != chainId) {
      out.add(new Effect.Anomaly("message for chain " + m.getChainId() + " at " + chainId));
      return false;
    }
    if (m.getEpoch() < view.epoch()) {
      if (!m.hasReject()) {
        ChainMessage rej = ChainMessages.reject(view, m.getEpoch());
        out.add(fromUpstream ? new Effect.SendUpstream(rej) : new Effect.SendDownstream(rej));
      }
      return false;
    }
    if (m.getEpoch() > view.epoch()) {
      newestEpochSeen = Math.max(newestEpochSeen, m.getEpoch());
      failDeferredReads(ErrorCode.WRONG_EPOCH, out);
      return false;
    }
    return true;
  }

  private void onFromUpstream(ChainMessage m, List<Effect> out) {
    if (m.hasReject()) {
      onReject(m.getReject(), out);
      return;
    }
    if (!checkEpoch(m, true, out)) {
      return;
    }
    if (m.hasNeedSnapshot()) {
      onNeedSnapshot(m.getNeedSnapshot().getCutSeq(), out);
      return;
    } else if (m.hasSentThrough()) {
      deferredReads.sentThrough(m.getSentThrough().getSeq());
      join.sentThrough(m.getSentThrough().getSeq(), role);
      serveDeferredReads(out);
      // The handshake ends here. Our ack of what we hold may have reached the predecessor before
      // it had this epoch (and been refused), and nothing resent draws another: ack again.
      sendAck(out);
      return;
    }
    if (!m.hasForward()) {
      return;
    }
    Forward f = m.getForward();
    join.heard(f.getSeq());
    if (role.isHead() || role == Role.NOT_MEMBER) {
      out.add(new Effect.Anomaly("forward seq " + f.getSeq() + " at " + role + " " + nodeId));
      return;
    }
    if (f.getSeq() <= last) {
      // A resend of what we hold (§4a): ack, don't apply twice — unless a predecessor that
      // restarted with a shorter history reused the seq for another write (acking would lose it).
      PendingWrite held = pending.get(f.getSeq());
      if (held != null && !held.op.equals(f.getOp())) {
        out.add(new Effect.Anomaly("predecessor diverged at seq " + f.getSeq()));
        return;
      }
      sendAck(out);
      return;
    }
    if (f.getSeq() != last + 1) {
      out.add(new Effect.Anomaly("gap: got seq " + f.getSeq() + " after " + last));
      out.add(new Effect.OpenUpstream(view.predecessor(nodeId).orElse(null), view.epoch()));
      return;
    }
    append(f.getSeq(), f.getOp(), out);
  }

  private void onFromDownstream(String from, ChainMessage m, List<Effect> out) {
    if (m.hasReject()) {
      onReject(m.getReject(), out);
      return;
    }
    if (m.hasHello() && m.getEpoch() > view.epoch()) {
      earlyHello = new Event.FromDownstream(from, m);
    }
    if (!checkEpoch(m, false, out)) {
      return;
    }
    if (!view.successor(nodeId).map(from::equals).orElse(false)) {
      out.add(new Effect.Anomaly("message from " + from + " which is not the successor"));
      return;
    }
    if (m.hasHello()) {
      onHello(m.getHello(), out);
    } else if (m.hasAck()) {
      long seq = m.getAck().getSeq();
      if (seq > last) {
        out.add(new Effect.Anomaly("ack " + seq + " beyond last " + last));
        return;
      }
      if (seq > downAcked) {
        downAcked = seq;
        advance(out);
        serveDeferredReads(out); // a tail whose joiner takes part in commit commits on its acks
      }
    }
  }

  private void onHello(Hello h, List<Effect> out) {
    boolean joiner = view.roleOf(h.getNodeId()) == Role.SYNCING;
    long theirs = h.getHighestSeq();
    long firstHeld = pending.isEmpty() ? last + 1 : pending.firstSeq();
    boolean gap = theirs > last || theirs + 1 < firstHeld;
    if ((joiner && (!h.getInstalled() || gap)) || h.getNeedsSnapshot()) {
      // CR §3 "adding a tail" (§4a snapshot cut): a joiner not yet installed, or a member whose
      // data is partial, installs our state at >= `last` (uncommitted writes of a rejoiner are
      // rolled back by it), and forwarding resumes at last + 1.
      downAcked = Math.max(downAcked, Math.min(last, acked));
      downstreamReady = true;
      out.add(new Effect.SendDownstream(ChainMessages.needSnapshot(view, last)));
      trim();
      return;
    }
    if (gap) {
      String msg = " at " + theirs + " needs what we hold from " + firstHeld + " to " + last;
      out.add(new Effect.Anomaly("successor " + h.getNodeId() + msg));
      return;
    }
    downstreamReady = true;
    join.joinerInCommit = joiner; // an installed joiner takes part in commit (JoinProgress)
    // §4a: resend the Sent list after the successor's highest seq; it acks what it already has.
    for (var e : pending.after(theirs).entrySet()) {
      out.add(new Effect.SendDownstream(ChainMessages.forward(view, e.getKey(), e.getValue().op)));
    }
    out.add(new Effect.SendDownstream(ChainMessages.sentThrough(view, last)));
  }

  private void onReject(Reject r, List<Effect> out) {
    if (r.getCurrentEpoch() > view.epoch()) {
      newestEpochSeen = Math.max(newestEpochSeen, r.getCurrentEpoch());
      failDeferredReads(ErrorCode.WRONG_EPOCH, out);
    }
  }

  private void onUpstreamOpened(long epoch, List<Effect> out) {
    if (epoch != view.epoch()) {
      return;
    }
    boolean installed = join.helloInstalled(role, partial);
    out.add(new Effect.SendUpstream(ChainMessages.hello(view, nodeId, last, partial, installed)));
    sendAck(out);
  }

  private void onDurable(long seq, long reported, List<Effect> out) {
    if (reported != history) {
      return; // a write of a history rolled back since (see Event.Durable)
    }
    if (seq > last) {
      throw new IllegalStateException("durable " + seq + " beyond last " + last);
    }
    if (seq > durable) {
      durable = seq;
      advance(out);
      serveDeferredReads(out);
    }
  }

  private PendingWrite append(long seq, WriteOp op, List<Effect> out) {
    WriteResult result = WriteOps.resultOf(seq, op);
    PendingWrite entry = addPending(seq, op, result);
    last = seq;
    List<Long> released =
        sessions.record(op.getClientId(), op.getRequestSeq(), op.getAckedBelow(), result);
    out.add(new Effect.Persist(seq, op, result, history, released));
    if (downstreamReady && view.successor(nodeId).isPresent()) {
      out.add(new Effect.SendDownstream(ChainMessages.forward(view, seq, op)));
    }
    return entry;
  }

  private PendingWrite addPending(long seq, WriteOp op, WriteResult result) {
    PendingWrite entry = new PendingWrite(op, result);
    pending.add(seq, entry);
    dirtyKeys.put(entry.key, seq);
    return entry;
  }

  /**
   * Recomputes the acked point, answers the writes at or below it and trims what no neighbour needs
   * any more.
   */
  private void advance(List<Effect> out) {
    // A SYNCING joiner takes no part in commit: like a tail it acknowledges what it holds durably.
    long committed =
        (role.isTail() && !join.joinerInCommit) || role == Role.SYNCING ? durable : downAcked;
    long next = Math.min(committed, durable);
    if (next > acked) {
      for (var e : pending.range(acked, next).entrySet()) {
        PendingWrite entry = e.getValue();
        dirtyKeys.remove(entry.key, e.getKey());
        for (long call : entry.waitingCalls) {
          out.add(new Effect.ReplyWrite(call, entry.result));
        }
        entry.waitingCalls.clear();
      }
      acked = next;
      out.add(new Effect.Committed(acked));
      if (!role.isHead() && role != Role.NOT_MEMBER) {
        sendAck(out);
      }
    }
    trim();
    if ((pending.size() > RETENTION_FACTOR * maxPending
            || pending.bytes() > RETENTION_FACTOR * maxPendingBytes)
        && view.successor(nodeId).map(n -> view.roleOf(n) == Role.SYNCING).orElse(false)) {
      // A joiner that falls too far behind restarts its join rather than pinning memory here.
      String lag = pending.size() + " writes, " + pending.bytes() + " bytes";
      out.add(new Effect.Anomaly("SYNCING successor lags by " + lag + "; resetting"));
      downAcked = acked;
      downstreamReady = false;
      trim();
      out.add(new Effect.ResetDownstream());
    }
  }

  /**
   * Drops entries no neighbour needs: answered here and, while a successor exists, acknowledged by
   * it (a tail keeps writes for its SYNCING successor until it has them).
   */
  private void trim() {
    long floor = view.successor(nodeId).isPresent() ? Math.min(acked, downAcked) : acked;
    pending.dropThrough(floor);
  }

  private void onNeedSnapshot(long cut, List<Effect> out) {
    if (role != Role.SYNCING && !partial) {
      out.add(new Effect.Anomaly("snapshot offered to " + role + " " + nodeId));
      return;
    }
    deferredReads.sentThrough(cut); // the snapshot and forwarding after it hold all it has sent
    pending.clear();
    dirtyKeys.clear();
    // The old data is dropped, so are its exactly-once records: they may name writes of a life
    // that never committed (a retry would wait for, or be answered with, another write at that
    // seq). The snapshot's records come with SnapshotInstalled, later ones with the forwards.
    sessions.clear();
    history++; // a persist of a write dropped here may still report durable: it is not ours now
    last = cut;
    durable = cut;
    acked = cut;
    downAcked = cut;
    installingCut = cut;
    partial = true;
    join.heard(cut);
    out.add(new Effect.InstallSnapshot(view.predecessor(nodeId).orElseThrow(), cut, view.epoch()));
  }

  private void onSnapshotInstalled(Event.SnapshotInstalled e, List<Effect> out) {
    if (e.cut() != installingCut) {
      return;
    }
    installingCut = -1;
    partial = false;
    e.dedup().forEach(d -> sessions.load(d.clientId(), d.requestSeq(), d.ackedBelow(), d.result()));
    join.installed(); // caught up only once the predecessor counts us in commit (JoinProgress)
    out.add(new Effect.SendUpstream(ChainMessages.hello(view, nodeId, last, false, true)));
  }

  private void sendAck(List<Effect> out) {
    view.predecessor(nodeId)
        .ifPresent(p -> out.add(new Effect.SendUpstream(ChainMessages.ack(view, acked))));
  }

  private void serveDeferredReads(List<Effect> out) {
    if (view.servesReads(nodeId)) {
      deferredReads.serve(acked, out);
    }
    snapshotGrants.serve(durable, out);
    if (join.reportCaughtUp(durable)) {
      out.add(new Effect.CaughtUp(view.epoch(), last));
    }
  }

  private void failDeferredReads(ErrorCode code, List<Effect> out) {
    deferredReads.fail(code, view.epoch(), out);
    snapshotGrants.fail(code, view.epoch(), out);
  }

  private void failWaitingCalls(ErrorCode code, List<Effect> out) {
    for (PendingWrite e : pending.writes()) {
      for (long call : e.waitingCalls) {
        out.add(error(call, code, "role changed; retry"));
      }
      e.waitingCalls.clear();
    }
    failDeferredReads(ErrorCode.WRONG_EPOCH, out);
  }

  private Effect.ReplyError error(long callId, ErrorCode code, String message) {
    return new Effect.ReplyError(callId, code, view.epoch(), message);
  }

  /** Returns the replica's current counters. */
  public ReplicaStatus status() {
    return new ReplicaStatus(
        nodeId,
        chainId,
        view.epoch(),
        role,
        last,
        durable,
        acked,
        pending.size(),
        pending.bytes(),
        fenced,
        awaitingConfig(),
        joinLag());
  }

  /** SYNCING: the join's lag in seqs ({@code SyncStatus.lag_seqs}); -1 in any other role. */
  public long joinLag() {
    return role == Role.SYNCING ? join.lag(durable) : -1;
  }

  /** The seqs this replica holds but has not passed upstream, in order (the Sent list). */
  public List<Long> pendingSeqs() {
    return pending.seqs();
  }

  /** The current view. */
  public ChainView view() {
    return view;
  }
}
