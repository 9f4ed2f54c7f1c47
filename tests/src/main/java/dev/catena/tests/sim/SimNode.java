package dev.catena.tests.sim;

import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.chain.runtime.MembershipFilter;
import dev.catena.chain.runtime.NodeFence;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One simulated storage node: plays the part of the node runtime (DESIGN.md §8) around the pure
 * replicas of the chains it belongs to. It turns effects into storage records, stream sends and
 * client replies, and feeds back events, in the order the runtime would. All of its scheduled
 * callbacks carry its incarnation, so nothing from a previous life reaches a restarted node.
 */
public final class SimNode {
  /** The runtime state of one chain at this node. */
  static final class Slot {
    final ReplicaDriver replica;
    SimNetwork.Stream upstream;
    String upPred;
    long upEpoch;
    SimNetwork.Stream downstream;

    /** The epoch in which this replica went from SYNCING to tail; -1 if it never did. */
    long promotedEpoch = -1;

    Slot(ReplicaDriver replica) {
      this.replica = replica;
    }
  }

  /** A call waiting inside the node: a client request, or a successor's snapshot request. */
  private record Call(SimWorld.ClientRequest request, SimJoins.Grant grant) {}

  private final String id;
  private final SimWorld world;
  private final SimStorage storage;
  private final MembershipFilter membership;
  private final TreeMap<Integer, Slot> slots = new TreeMap<>();
  private final Map<Long, Call> calls = new HashMap<>();
  private boolean alive = true;
  private NodeFence fence;
  private long incarnation;
  private long session;
  private final Map<Integer, Long> installTokens = new HashMap<>();
  private long nextCall = 1;
  private boolean flushScheduled;

  SimNode(String id, SimWorld world) {
    this.id = id;
    this.world = world;
    this.storage = new SimStorage(id, world.options.installFault());
    this.membership = new MembershipFilter(id);
    this.fence = newFence(NodeFence.withoutSession(id));
  }

  /**
   * The production fence, fed by the simulated session (the lease is modelled by {@link SimFaults},
   * which reports lapses and renewals as session events); its changes reach every replica.
   */
  private NodeFence newFence(NodeFence f) {
    f.onChange(
        () -> {
          for (int chain : slots.keySet()) {
            dispatch(chain, new Event.FenceChanged(f.fenced()));
          }
        });
    return f;
  }

  /** The node id. */
  public String id() {
    return id;
  }

  /** True unless crashed. */
  public boolean alive() {
    return alive;
  }

  /** True while the node's lease has lapsed. */
  public boolean fenced() {
    return fence.fenced();
  }

  long incarnation() {
    return incarnation;
  }

  /** The incarnation string this node registers with (changes on every new session). */
  String registration() {
    return id + "-" + incarnation + "-" + session;
  }

  /** The node's storage (survives crashes as the crash mode says). */
  public SimStorage storage() {
    return storage;
  }

  /** The replica of {@code chainId}, or null if this node has none (never a member, or crashed). */
  public ReplicaDriver replica(int chainId) {
    Slot s = slots.get(chainId);
    return s == null ? null : s.replica;
  }

  // ---- inputs ----------------------------------------------------------------------------------

  /**
   * A chain configuration read from ZooKeeper, filtered by the runtime's {@link MembershipFilter}:
   * this node is a member only where the chain lists it with the incarnation of its current
   * registration; a listing for an earlier life makes an existing replica serve nothing.
   */
  void applyConfig(ChainConfig c) {
    int chainId = c.getChainId();
    Slot slot = slots.get(chainId);
    if (slot != null
        && c.getEpoch() < slot.replica.view().epoch()
        && c.getMembersList().stream()
            .anyMatch(
                m -> m.getNodeId().equals(id) && !m.getIncarnation().equals(registration()))) {
      world.count(SCENARIO_EARLIER_LIFE_READ_LATE);
    }
    Optional<Event> event =
        membership.eventFor(
            registration(),
            c,
            slot == null ? OptionalLong.empty() : OptionalLong.of(slot.replica.view().epoch()));
    if (event.isEmpty()) {
      return;
    }
    if (slot == null) {
      ReplicaDriver r =
          world
              .options
              .replicaFactory()
              .create(id, chainId, storage.recover(chainId), world.options.maxPending());
      slot = new Slot(r);
      slots.put(chainId, slot);
      dispatch(chainId, new Event.FenceChanged(fence.fenced()));
    }
    dispatch(chainId, event.get());
  }

  /** The node's lease lapsed ({@code true}) or was renewed ({@code false}). */
  void setFenced(boolean value) {
    if (value) {
      fence.sessionInDoubt("lease lapsed");
    } else {
      fence.sessionConfirmed();
    }
  }

  /** A client request arrived. */
  void clientRequest(SimWorld.ClientRequest req) {
    Slot slot = slots.get(req.chainId());
    if (slot == null) {
      world.replyToClient(req, SimWorld.ClientReply.error(ErrorCode.UNKNOWN_CHAIN, 0));
      return;
    }
    long call = nextCall++;
    calls.put(call, new Call(req, null));
    Event e =
        req.write()
            ? new Event.ClientWrite(call, req.op(), req.epoch())
            : new Event.ClientRead(call, req.key(), req.epoch());
    dispatch(req.chainId(), e);
  }

  /** A successor asks for a snapshot of {@code chainId} (NodeRuntime.submitSnapshot). */
  void snapshotRequest(int chainId, long epoch, String fromNode, SimJoins.Grant grant) {
    if (slots.get(chainId) == null || fence.refusal().isPresent()) {
      grant.failed("no replica of chain " + chainId + " at " + id + " (or fenced)");
      return;
    }
    long call = nextCall++;
    calls.put(call, new Call(null, grant));
    dispatch(chainId, new Event.SnapshotGrant(call, fromNode, epoch));
  }

  /** The node starts a new ZooKeeper session: it will register with a new incarnation. */
  void newSession() {
    session++;
  }

  /** The outcome of this node's install of {@code chainId} (ignored if superseded). */
  void installOutcome(int chainId, long token, java.util.function.Supplier<Event> outcome) {
    if (!alive || installTokens.getOrDefault(chainId, -1L) != token) {
      return;
    }
    installTokens.remove(chainId);
    dispatch(chainId, outcome.get());
  }

  /** True while {@code token} is this node's current install of {@code chainId}. */
  boolean currentInstall(int chainId, long token) {
    return alive && installTokens.getOrDefault(chainId, -1L) == token;
  }

  void upstreamOpened(SimNetwork.Stream s) {
    Slot slot = slots.get(s.chainId);
    if (slot != null && slot.upstream == s) {
      dispatch(s.chainId, new Event.UpstreamOpened(s.epoch));
    }
  }

  void fromUpstream(SimNetwork.Stream s, ChainMessage m) {
    Slot slot = slots.get(s.chainId);
    if (slot != null && slot.upstream == s) {
      dispatch(s.chainId, new Event.FromUpstream(m));
    }
  }

  void fromDownstream(SimNetwork.Stream s, ChainMessage m) {
    Slot slot = slots.get(s.chainId);
    if (slot == null) {
      // As NodeRuntime does: a stream for a chain without a replica yet is closed, so the
      // successor reconnects and says Hello again later.
      world.network.close(s);
      return;
    }
    if (slot.downstream != s) {
      // NodeRuntime.downstreamOpened: a new stream replaces (and closes) the old one.
      SimNetwork.Stream old = slot.downstream;
      slot.downstream = s;
      if (old != null) {
        world.network.close(old);
      }
    }
    boolean ahead = m.getEpoch() > slot.replica.view().epoch();
    if (ahead && m.hasHello()) {
      world.count(SCENARIO_HELLO_FROM_NEWER_EPOCH);
    }
    dispatch(s.chainId, new Event.FromDownstream(s.succ.id(), m));
    if (ahead && world.options.handshakeRetry()) {
      // The replica ignores a message from a newer epoch (its Hello is lost); close the stream so
      // the successor repeats the handshake once this node may have the configuration.
      world.network.close(s);
    }
  }

  void downstreamClosed(SimNetwork.Stream s) {
    Slot slot = slots.get(s.chainId);
    if (slot != null && slot.downstream == s) {
      slot.downstream = null;
      dispatch(s.chainId, new Event.DownstreamLost());
    }
  }

  void upstreamClosed(SimNetwork.Stream s) {
    Slot slot = slots.get(s.chainId);
    if (slot != null && slot.upstream == s) {
      slot.upstream = null;
      scheduleReconnect(s.chainId, slot);
    }
  }

  private void scheduleReconnect(int chainId, Slot slot) {
    long inc = incarnation;
    String pred = slot.upPred;
    long epoch = slot.upEpoch;
    world.scheduler.after(
        world.reconnectDelay(),
        "reconnect " + id + " c" + chainId + " -> " + pred,
        () -> {
          if (incarnation == inc
              && slots.get(chainId) == slot
              && slot.upstream == null
              && pred != null
              && pred.equals(slot.upPred)
              && epoch == slot.upEpoch) {
            slot.upstream = world.network.open(this, chainId, world.node(pred), epoch);
          }
        });
  }

  // ---- crash and restart -----------------------------------------------------------------------

  void crash(SimStorage.CrashMode mode) {
    alive = false;
    incarnation++;
    storage.crash(mode);
    world.network.breakAllOf(this);
    world.joins.crashed(this);
    slots.clear();
    calls.clear();
    installTokens.clear();
    flushScheduled = false;
  }

  void restart() {
    alive = true;
    incarnation++;
    fence = newFence(new NodeFence(id, () -> true));
  }

  // ---- effects ---------------------------------------------------------------------------------

  void dispatch(int chainId, Event e) {
    Slot slot = slots.get(chainId);
    if (slot == null || !alive) {
      return;
    }
    world.trace.add("  " + id + " c" + chainId + " <- " + Describe.event(e));
    Role before = slot.replica.status().role();
    if (e instanceof Event.ClientRead && before.isTail() && oldTailStillServes(chainId, slot)) {
      world.count(SCENARIO_READ_AT_PROMOTED_TAIL);
    }
    List<Effect> effects = slot.replica.handle(e);
    if (e instanceof Event.ConfigChanged) {
      noteConfigScenarios(slot, before, effects);
    }
    // What a tail holds acknowledged is committed (noted before a head's reply in the same step).
    world.invariants.onCommitted(chainId, slot.replica);
    for (Effect effect : effects) {
      world.trace.add("  " + id + " c" + chainId + " -> " + Describe.effect(effect));
      execute(chainId, slot, effect);
    }
  }

  // ---- scenarios the regression seeds must still reach (SimResult.counters) ------------------

  /** A successor's Hello arrived carrying a newer epoch than the predecessor's replica holds. */
  static final String SCENARIO_HELLO_FROM_NEWER_EPOCH = "scenario hello-from-newer-epoch";

  /** A Hello that arrived early was answered when the configuration of its epoch came. */
  static final String SCENARIO_EARLY_HELLO_ANSWERED = "scenario early-hello-answered-on-config";

  /**
   * A read reached a member just promoted from SYNCING to tail while the old tail, not yet aware of
   * the new epoch, still acted as tail of the older one and held a write still on its way to the
   * promoted member.
   */
  static final String SCENARIO_READ_AT_PROMOTED_TAIL = "scenario read-at-promoted-tail";

  /** A configuration listing an earlier life of this node arrived after a newer epoch. */
  static final String SCENARIO_EARLIER_LIFE_READ_LATE = "scenario earlier-life-read-late";

  private void noteConfigScenarios(Slot slot, Role before, List<Effect> effects) {
    ReplicaStatus after = slot.replica.status();
    if (before == Role.SYNCING && after.role().isTail()) {
      slot.promotedEpoch = after.epoch();
    }
    for (Effect x : effects) {
      if (x instanceof Effect.SendDownstream d
          && (d.message().hasSentThrough() || d.message().hasNeedSnapshot())) {
        world.count(SCENARIO_EARLY_HELLO_ANSWERED);
      }
    }
  }

  private boolean oldTailStillServes(int chainId, Slot slot) {
    ReplicaStatus promoted = slot.replica.status();
    if (slot.promotedEpoch != promoted.epoch()) {
      return false;
    }
    for (SimNode other : world.nodes.values()) {
      ReplicaDriver r = other == this || !other.alive() ? null : other.replica(chainId);
      if (r != null
          && r.status().role().isTail()
          && r.status().epoch() < promoted.epoch()
          && r.status().last() > promoted.last()) {
        return true;
      }
    }
    return false;
  }

  private void execute(int chainId, Slot slot, Effect effect) {
    if (effect instanceof Effect.Persist p) {
      storage.persist(chainId, p.seq(), p.history(), p.op(), p.result());
      scheduleFlush();
    } else if (effect instanceof Effect.SendDownstream s) {
      SimNetwork.Stream d = slot.downstream;
      if (d != null && slot.replica.view().successor(id).map(d.succ.id()::equals).orElse(false)) {
        world.network.send(d, true, s.message());
      }
    } else if (effect instanceof Effect.SendUpstream s) {
      if (slot.upstream != null) {
        world.network.send(slot.upstream, false, s.message());
      }
    } else if (effect instanceof Effect.OpenUpstream o) {
      if (slot.upstream != null) {
        world.network.close(slot.upstream);
        slot.upstream = null;
      }
      slot.upPred = o.predecessor();
      slot.upEpoch = o.epoch();
      if (o.predecessor() != null) {
        slot.upstream = world.network.open(this, chainId, world.node(o.predecessor()), o.epoch());
      }
    } else if (effect instanceof Effect.Committed c) {
      storage.markCommitted(chainId, c.seq());
      scheduleFlush();
    } else if (effect instanceof Effect.ReplyWrite w) {
      Call call = take(w.callId());
      world.invariants.onReplyWrite(this, chainId, call.request(), w.result());
      world.replyToClient(call.request(), SimWorld.ClientReply.written(w.result()));
    } else if (effect instanceof Effect.GrantSnapshot g) {
      take(g.callId()).grant().serve(storage.openSnapshot(chainId));
    } else if (effect instanceof Effect.ServeRead r) {
      Call call = take(r.callId());
      String key = call.request().key();
      String value = storage.chain(chainId).read(key);
      world.invariants.onServeRead(this, chainId, slot.replica, key, value);
      world.replyToClient(call.request(), SimWorld.ClientReply.read(value, id));
    } else if (effect instanceof Effect.ReplyError e) {
      Call call = take(e.callId());
      if (call.grant() != null) {
        call.grant().failed(e.code() + ": " + e.message());
        return;
      }
      world.replyToClient(call.request(), SimWorld.ClientReply.error(e.code(), e.currentEpoch()));
    } else if (effect instanceof Effect.InstallSnapshot i) {
      long token = storage.beginSync(chainId, i.cut(), i.epoch());
      installTokens.put(chainId, token);
      scheduleFlush();
      world.joins.start(this, chainId, i, token);
    } else if (effect instanceof Effect.CaughtUp c) {
      world.count("caught-up");
      world.zk.reportCaughtUp(this, chainId, c.epoch());
    } else if (effect instanceof Effect.ResetDownstream) {
      if (slot.downstream != null) {
        world.network.close(slot.downstream);
        slot.downstream = null;
      }
    } else if (effect instanceof Effect.Anomaly) {
      world.anomalies++;
      world.count("anomaly");
    }
  }

  private Call take(long callId) {
    Call c = calls.remove(callId);
    if (c == null) {
      throw new InvariantViolation(
          Violation.REPLY,
          "at-most-once reply: " + id + " answered call " + callId + " twice (or never took it)");
    }
    return c;
  }

  void scheduleFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    long inc = incarnation;
    world.scheduler.after(
        world.storageDelay(),
        "fsync " + id,
        () -> {
          if (incarnation != inc) {
            return;
          }
          flushScheduled = false;
          SimStorage.Flushed f = storage.flush();
          for (var e : f.writes().entrySet()) {
            dispatch(e.getKey(), e.getValue());
          }
          f.callbacks().forEach(Runnable::run);
          if (storage.dirty()) {
            scheduleFlush();
          }
        });
  }
}
