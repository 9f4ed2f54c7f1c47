package dev.catena.chain.runtime;

import dev.catena.chain.protocol.ChainReplica;
import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SnapshotRequest;
import dev.catena.proto.v1.WriteOp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage node's event loop: one thread runs the pure {@link ChainReplica} of every chain the
 * node belongs to and executes their effects (persist through {@link ReplicaStore}, send through
 * {@link PeerTransport}, answer {@link ClientCall}s). Transport handlers and storage callbacks only
 * enqueue events, in the style of ZooKeeper's request-processor pipeline: receive → persist (group
 * commit on the storage writer thread) → forward/ack → reply.
 *
 * <p>Client calls are admitted only while the node's lease is valid (DESIGN.md §4 invariant 7); the
 * number of calls waiting inside the runtime is bounded and excess calls fail with {@code
 * OVERLOADED}.
 *
 * <p><b>Fail-stop on storage errors.</b> Every effect is executed in isolation: one that throws
 * never stops the effects after it. A persist (or commit mark) that fails, synchronously or through
 * its future, stops the node's storage for good: no later persist is submitted, no later {@link
 * Event.Durable} is reported (so no write behind the failed one is ever acknowledged), every
 * replica receives {@link Event.StorageFailed}, {@link #setFenced setFenced(false)} no longer lifts
 * the fence, and the {@linkplain #setStorageFailureHandler failure handler} runs once so the node
 * can leave the cluster (the coordinator then replaces it). Only a restart brings it back.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  private final String nodeId;
  private final ReplicaStore store;
  private final WriteAdmission writeAdmission;
  private final PeerTransport transport;
  private final BooleanSupplier leaseValid;
  private final int maxPendingPerChain;
  private final int maxQueuedCalls;
  private final ExecutorService loop;
  private final ScheduledExecutorService timers;
  private final AtomicInteger queuedCalls = new AtomicInteger();

  // Owned by the loop thread.
  private final Map<Integer, ChainReplica> replicas = new HashMap<>();
  private final Map<Long, ClientCall> calls = new HashMap<>();
  private final Map<Integer, Upstream> upstreams = new HashMap<>();
  private final Map<Integer, Downstream> downstreams = new HashMap<>();
  private final Map<Integer, Long> installTokens = new HashMap<>();
  private final Map<Integer, Integer> snapshotFailures =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final JoinLags joinLags = new JoinLags();
  private Map<String, NodeInfo> nodes = Map.of();
  private long nextCallId = 1;
  private boolean fenced = true;
  private volatile SyncListener syncListener = SyncListener.NONE;
  private volatile java.util.function.Consumer<String> storageFailureHandler = reason -> {};

  /** Set once, on the loop thread, when local storage failed (see the type's Javadoc). */
  private volatile String storageFailure;

  private final ExecutorService installers;

  private record Downstream(String node, PeerTransport.DownstreamLink link) {}

  private final class Upstream {
    final int chainId;
    final String predecessor;
    final long epoch;
    PeerTransport.UpstreamLink link;
    boolean closed;
    int failures;

    Upstream(int chainId, String predecessor, long epoch) {
      this.chainId = chainId;
      this.predecessor = predecessor;
      this.epoch = epoch;
    }
  }

  /**
   * @param nodeId this node's id
   * @param store durable storage
   * @param transport streams to predecessors
   * @param leaseValid true while the node's ZooKeeper session and lease are good
   * @param maxPendingPerChain in-flight writes per chain at the head
   * @param maxQueuedCalls client calls waiting inside the runtime, over all chains
   */
  public NodeRuntime(
      String nodeId,
      ReplicaStore store,
      PeerTransport transport,
      BooleanSupplier leaseValid,
      int maxPendingPerChain,
      int maxQueuedCalls) {
    this.nodeId = nodeId;
    this.store = store;
    this.writeAdmission = new WriteAdmission(store);
    this.transport = transport;
    this.leaseValid = leaseValid;
    this.maxPendingPerChain = maxPendingPerChain;
    this.maxQueuedCalls = maxQueuedCalls;
    // After close, late callbacks from streams and storage are dropped instead of failing.
    this.loop =
        new java.util.concurrent.ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> daemon(r, "catena-loop-" + nodeId),
            new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "catena-timer"));
    this.installers = Executors.newCachedThreadPool(r -> daemon(r, "catena-install-" + nodeId));
  }

  /**
   * Sets what runs (once, off the event loop) when local storage fails: the node's membership
   * closes its ZooKeeper session so the coordinator cuts the node out of its chains.
   */
  public void setStorageFailureHandler(java.util.function.Consumer<String> handler) {
    this.storageFailureHandler = handler;
    String failed = storageFailure;
    if (failed != null) { // failed before anyone listened
      installers.execute(() -> handler.accept(failed));
    }
  }

  /** Why local storage failed, if it did (the node then serves nothing until restarted). */
  public Optional<String> storageFailure() {
    return Optional.ofNullable(storageFailure);
  }

  /** Sets who learns about this node's joins (the ZooKeeper membership publishes them). */
  public void setSyncListener(SyncListener listener) {
    this.syncListener = listener;
  }

  /**
   * A successor asks for a snapshot of {@code chainId}: granted once everything this node received
   * is durable, so {@code call.serve()} may open {@link ReplicaStore#openSnapshot} on the event
   * loop.
   */
  public void submitSnapshot(int chainId, long epoch, String fromNode, ClientCall call) {
    admit(call, id -> new Event.SnapshotGrant(id, fromNode, epoch), chainId);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public String nodeId() {
    return nodeId;
  }

  /**
   * Installs a cluster configuration for a node registered without incarnations (members listed
   * with an empty incarnation): same as {@code applyConfiguration("", nodes, chains)}.
   */
  public void applyConfiguration(Map<String, NodeInfo> nodes, Collection<ChainConfig> chains) {
    applyConfiguration("", nodes, chains);
  }

  /**
   * Installs a cluster configuration: the node directory and the chains' configurations. Pass every
   * chain, not only those listing this node: a chain that no longer lists it moves its replica to
   * NOT_MEMBER (it stops serving there). This node is a member of a chain only where the chain
   * lists it with {@code incarnation}, the incarnation of its current registration; a listing under
   * another incarnation belongs to an earlier life of the node (before a restart or a session
   * replacement), so no replica is created for it and an existing one serves nothing until a later
   * epoch is applied (DESIGN §4 invariant 7).
   */
  public void applyConfiguration(
      String incarnation, Map<String, NodeInfo> nodes, Collection<ChainConfig> chains) {
    var nodesCopy = Map.copyOf(nodes);
    var chainsCopy = List.copyOf(chains);
    loop.execute(() -> onConfiguration(incarnation, nodesCopy, chainsCopy));
  }

  /** Sets the fenced state (session SUSPENDED/LOST or lease lapsed → true). */
  public void setFenced(boolean value) {
    loop.execute(
        () -> {
          fenced = value || storageFailure != null;
          replicas.keySet().forEach(c -> dispatch(c, new Event.FenceChanged(fenced)));
        });
  }

  /** Submits a client write to chain {@code chainId}, routed by the client at {@code epoch}. */
  public void submitWrite(int chainId, long epoch, WriteOp op, ClientCall call) {
    if (WriteAdmission.needsStorage(op)) {
      admit(
          call,
          id -> new Event.ClientWrite(id, op, epoch),
          chainId,
          c -> writeAdmission.refusal(c, op));
    } else {
      admit(call, id -> new Event.ClientWrite(id, op, epoch), chainId);
    }
  }

  /**
   * Submits a client read; {@code key} is the protocol key ({@code WriteOps.objectKey} or {@code
   * chunkKey}) or null for a listing.
   */
  public void submitRead(int chainId, long epoch, String key, ClientCall call) {
    admit(call, id -> new Event.ClientRead(id, key, epoch), chainId);
  }

  private void admit(ClientCall call, java.util.function.LongFunction<Event> event, int chainId) {
    admit(call, event, chainId, c -> Optional.empty());
  }

  /**
   * Admits a call; {@code refusal}, run on the loop just before the event is dispatched, may refuse
   * it with a typed error instead.
   */
  private void admit(
      ClientCall call,
      java.util.function.LongFunction<Event> event,
      int chainId,
      java.util.function.IntFunction<Optional<CatenaError>> refusal) {
    if (storageFailure != null) {
      call.failed(error(ErrorCode.FENCED, "node " + nodeId + " storage failed", chainId));
      return;
    }
    if (!leaseValid.getAsBoolean()) {
      call.failed(error(ErrorCode.FENCED, "node " + nodeId + " has no valid lease", chainId));
      return;
    }
    if (queuedCalls.incrementAndGet() > maxQueuedCalls) {
      queuedCalls.decrementAndGet();
      call.failed(error(ErrorCode.OVERLOADED, "node " + nodeId + " is overloaded", chainId));
      return;
    }
    loop.execute(
        () -> {
          if (!replicas.containsKey(chainId)) {
            queuedCalls.decrementAndGet();
            call.failed(error(ErrorCode.UNKNOWN_CHAIN, "chain " + chainId + " not here", chainId));
            return;
          }
          Optional<CatenaError> refused = refusal.apply(chainId);
          if (refused.isPresent()) {
            queuedCalls.decrementAndGet();
            call.failed(refused.get());
            return;
          }
          long id = nextCallId++;
          calls.put(id, call);
          dispatch(chainId, event.apply(id));
        });
  }

  /** A successor opened (or re-opened) its stream for {@code chainId}. */
  public void downstreamOpened(int chainId, String fromNode, PeerTransport.DownstreamLink link) {
    loop.execute(
        () -> {
          Downstream old = downstreams.put(chainId, new Downstream(fromNode, link));
          if (old != null && old.link != link) {
            old.link.close();
          }
        });
  }

  /** A message from a successor. */
  public void downstreamMessage(int chainId, String fromNode, ChainMessage message) {
    loop.execute(
        () -> {
          if (!replicas.containsKey(chainId)) {
            // No configuration for this chain yet: close the stream so the successor reconnects
            // and says Hello again later, instead of losing its Hello.
            Downstream d = downstreams.remove(chainId);
            if (d != null) {
              d.link.close();
            }
            return;
          }
          dispatch(chainId, new Event.FromDownstream(fromNode, message));
        });
  }

  /** A successor's stream closed. */
  public void downstreamClosed(int chainId, PeerTransport.DownstreamLink link) {
    loop.execute(
        () -> {
          Downstream d = downstreams.get(chainId);
          if (d != null && d.link == link) {
            downstreams.remove(chainId);
            dispatch(chainId, new Event.DownstreamLost());
          }
        });
  }

  /** Status of every replica, computed on the loop thread. */
  public List<ReplicaStatus> status() {
    try {
      return loop.submit(() -> replicas.values().stream().map(ChainReplica::status).toList())
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("status unavailable", e);
    }
  }

  private void onConfiguration(
      String incarnation, Map<String, NodeInfo> nodes, List<ChainConfig> chains) {
    this.nodes = nodes;
    for (ChainConfig c : chains) {
      Optional<ChainMember> listed =
          c.getMembersList().stream().filter(m -> m.getNodeId().equals(nodeId)).findFirst();
      boolean member = listed.isPresent() && listed.get().getIncarnation().equals(incarnation);
      ChainReplica r = replicas.get(c.getChainId());
      if (r == null && !member) {
        continue;
      }
      if (r == null) {
        RecoveredState recovered;
        try {
          recovered = store.recover(c.getChainId());
        } catch (RuntimeException e) {
          LOG.error("cannot recover chain {}; not taking part in it", c.getChainId(), e);
          continue;
        }
        r = new ChainReplica(nodeId, c.getChainId(), recovered, maxPendingPerChain);
        replicas.put(c.getChainId(), r);
        run(c.getChainId(), r, new Event.FenceChanged(fenced));
        if (storageFailure != null) {
          run(c.getChainId(), r, new Event.StorageFailed(storageFailure));
        }
      }
      if (listed.isPresent() && !member) {
        // Listed for an earlier life of this node: not ours to act on, and whatever epoch we
        // hold must not be served in any more (the coordinator removes that membership).
        run(c.getChainId(), r, new Event.SessionReplaced());
      } else {
        Role before = r.status().role();
        run(c.getChainId(), r, new Event.ConfigChanged(toView(c)));
        if (r.status().role() != before) {
          LOG.info(
              "chain {} epoch {}: {} -> {}",
              c.getChainId(),
              c.getEpoch(),
              before,
              r.status().role());
        }
      }
    }
  }

  /** Converts a stored chain configuration to the protocol's view. */
  public static ChainView toView(ChainConfig c) {
    var active = new ArrayList<String>();
    var syncing = new ArrayList<String>();
    var leaving = new HashSet<String>();
    for (ChainMember m : c.getMembersList()) {
      (m.getState() == MemberState.SYNCING ? syncing : active).add(m.getNodeId());
      if (m.getLeaving()) {
        leaving.add(m.getNodeId());
      }
    }
    return new ChainView(c.getChainId(), c.getEpoch(), active, syncing, leaving);
  }

  private void dispatch(int chainId, Event event) {
    ChainReplica r = replicas.get(chainId);
    if (r == null) {
      LOG.debug("event for unknown chain {}: {}", chainId, event);
      return;
    }
    run(chainId, r, event);
  }

  private void run(int chainId, ChainReplica r, Event event) {
    for (Effect effect : r.handle(event)) {
      try {
        execute(chainId, effect);
      } catch (RuntimeException e) {
        if (effect instanceof Effect.Persist || effect instanceof Effect.Committed) {
          storageFailed(chainId + " " + effect.getClass().getSimpleName(), e);
        } else {
          LOG.error("chain {} at {}: effect {} failed", chainId, nodeId, effect, e);
        }
      }
    }
    joinLags.after(chainId, r, syncListener);
  }

  /**
   * Stops this node's storage for good (fail-stop; see the type's Javadoc). Runs on the loop
   * thread; the replicas learn it from a queued event, and until then the latch keeps any Durable
   * from reaching them.
   */
  private void storageFailed(String what, Throwable cause) {
    if (storageFailure != null) {
      return;
    }
    String reason = "chain " + what + ": " + cause;
    storageFailure = reason;
    fenced = true;
    LOG.error("node {} storage failed ({}); stopping (fail-stop)", nodeId, what, cause);
    loop.execute(
        () -> replicas.keySet().forEach(c -> dispatch(c, new Event.StorageFailed(reason))));
    java.util.function.Consumer<String> handler = storageFailureHandler;
    try {
      installers.execute(() -> handler.accept(reason));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: nothing left to leave
    }
  }

  private void execute(int chainId, Effect effect) {
    if (effect instanceof Effect.Persist p) {
      if (storageFailure != null) {
        return; // fail-stop: nothing more is written, nothing more becomes durable
      }
      store
          .persist(chainId, p.seq(), p.op(), p.result())
          .whenComplete(
              (v, err) ->
                  loop.execute(
                      () -> {
                        if (err != null) {
                          storageFailed(chainId + " persist of seq " + p.seq(), err);
                        } else if (storageFailure == null) {
                          dispatch(chainId, new Event.Durable(p.seq()));
                        }
                      }));
    } else if (effect instanceof Effect.SendDownstream s) {
      Downstream d = downstreams.get(chainId);
      ChainReplica r = replicas.get(chainId);
      if (d != null && r.view().successor(nodeId).map(d.node::equals).orElse(false)) {
        d.link.send(s.message());
      }
    } else if (effect instanceof Effect.SendUpstream s) {
      Upstream u = upstreams.get(chainId);
      if (u != null && u.link != null) {
        u.link.send(s.message());
      }
    } else if (effect instanceof Effect.OpenUpstream o) {
      openUpstream(chainId, o.predecessor(), o.epoch());
    } else if (effect instanceof Effect.Committed c) {
      if (storageFailure == null) {
        store.markCommitted(chainId, c.seq());
      }
    } else if (effect instanceof Effect.ReplyWrite w) {
      ClientCall call = take(w.callId());
      if (call != null) {
        call.committed(w.result());
      }
    } else if (effect instanceof Effect.ServeRead r) {
      ClientCall call = take(r.callId());
      if (call != null && !leaseValid.getAsBoolean()) {
        // §4a zombies: a node frozen (GC, SIGSTOP) past its lease may wake with queued reads
        // before any session event arrives; the lease is checked again when the read is served.
        call.failed(error(ErrorCode.FENCED, "node " + nodeId + " lease lapsed", chainId));
      } else if (call != null) {
        call.serve();
      }
    } else if (effect instanceof Effect.ReplyError e) {
      ClientCall call = take(e.callId());
      if (call != null) {
        call.failed(
            CatenaError.newBuilder()
                .setCode(e.code())
                .setMessage(e.message())
                .setCurrentEpoch(e.currentEpoch())
                .setChainId(chainId)
                .build());
      }
    } else if (effect instanceof Effect.InstallSnapshot i) {
      startInstall(chainId, i);
    } else if (effect instanceof Effect.CaughtUp c) {
      syncListener.caughtUp(chainId, c.epoch(), c.last());
    } else if (effect instanceof Effect.ResetDownstream) {
      Downstream d = downstreams.remove(chainId);
      if (d != null) {
        d.link.close();
      }
    } else if (effect instanceof Effect.Anomaly a) {
      LOG.warn("chain {} at {}: {}", chainId, nodeId, a.description());
    }
  }

  /** Fetches and installs a snapshot off the loop; reports the outcome as an event. */
  private void startInstall(int chainId, Effect.InstallSnapshot i) {
    NodeInfo source = nodes.get(i.from());
    long token = store.beginSync(chainId);
    installTokens.put(chainId, token);
    var request =
        SnapshotRequest.newBuilder()
            .setChainId(chainId)
            .setEpoch(i.epoch())
            .setNodeId(nodeId)
            .setMinCutSeq(i.cut())
            .build();
    installers.execute(
        () -> {
          Event outcome;
          try {
            if (source == null) {
              throw new IllegalStateException("no address for " + i.from());
            }
            SyncListener l = syncListener;
            // §4 rejoin: send the digests of what this node holds; only differing buckets come.
            var withDigests = request.toBuilder();
            store.syncDigests(chainId, token).ifPresent(d -> withDigests.setDigests(d.toProto()));
            long[] done = new long[2]; // records, bytes: the last progress is the final count
            boolean installed =
                store.installSnapshot(
                    chainId,
                    token,
                    new TotalsTap(
                        transport.fetchSnapshot(source, withDigests.build()),
                        (totals, diff) -> l.planned(chainId, i.epoch(), totals, diff)),
                    (records, bytes) -> {
                      done[0] = records;
                      done[1] = bytes;
                      l.progress(chainId, i.epoch(), records, bytes);
                    });
            if (installed) {
              l.installed(chainId, i.epoch(), done[0], done[1]);
            }
            outcome =
                installed ? null : new Event.SnapshotFailed(i.cut(), "superseded by a newer join");
          } catch (RuntimeException e) {
            LOG.warn("snapshot of chain {} from {} failed: {}", chainId, i.from(), e.toString());
            outcome = new Event.SnapshotFailed(i.cut(), e.toString());
          }
          Event failure = outcome;
          // After a failure the replica asks again at once: back off (a refusing tail, e.g.
          // fenced, would otherwise be asked a hundred times a second).
          long delayMs =
              failure == null
                  ? 0
                  : RetryDelays.millis(snapshotFailures.merge(chainId, 1, Integer::sum));
          onLoopLater(
              () -> {
                if (installTokens.getOrDefault(chainId, -1L) != token) {
                  return; // a newer join of this chain is under way
                }
                installTokens.remove(chainId);
                if (failure != null) {
                  dispatch(chainId, failure);
                } else {
                  snapshotFailures.remove(chainId);
                  dispatch(chainId, new Event.SnapshotInstalled(i.cut(), store.loadDedup(chainId)));
                }
              },
              delayMs);
        });
  }

  private ClientCall take(long callId) {
    ClientCall call = calls.remove(callId);
    if (call != null) {
      queuedCalls.decrementAndGet();
    }
    return call;
  }

  private void openUpstream(int chainId, String predecessor, long epoch) {
    Upstream old = upstreams.remove(chainId);
    if (old != null) {
      old.closed = true;
      if (old.link != null) {
        old.link.close();
      }
    }
    if (predecessor == null) {
      return;
    }
    Upstream u = new Upstream(chainId, predecessor, epoch);
    upstreams.put(chainId, u);
    connect(u);
  }

  private void connect(Upstream u) {
    if (u.closed || upstreams.get(u.chainId) != u) {
      return;
    }
    NodeInfo peer = nodes.get(u.predecessor);
    if (peer == null) {
      retryLater(u);
      return;
    }
    u.link =
        transport.openUpstream(
            u.chainId,
            peer,
            new PeerTransport.UpstreamListener() {
              @Override
              public void opened() {
                loop.execute(
                    () -> {
                      if (current(u)) {
                        u.failures = 0;
                        dispatch(u.chainId, new Event.UpstreamOpened(u.epoch));
                      }
                    });
              }

              @Override
              public void message(ChainMessage message) {
                // Every replica verifies the sender's checksum before it persists or acks (off
                // the loop); damaged bytes are dropped and the stream is opened again, whose
                // handshake has the predecessor resend from our highest seq (§4a).
                Optional<String> damaged = ChunkIntegrity.mismatch(message);
                loop.execute(
                    () -> {
                      if (!current(u)) {
                        return;
                      }
                      if (damaged.isPresent()) {
                        LOG.error(
                            "chain {}: damaged forward from {}: {}; reconnecting",
                            u.chainId,
                            u.predecessor,
                            damaged.get());
                        openUpstream(u.chainId, u.predecessor, u.epoch);
                      } else {
                        dispatch(u.chainId, new Event.FromUpstream(message));
                      }
                    });
              }

              @Override
              public void closed(Throwable cause) {
                loop.execute(
                    () -> {
                      if (current(u)) {
                        LOG.debug(
                            "upstream of chain {} closed: {}", u.chainId, String.valueOf(cause));
                        u.link = null;
                        retryLater(u);
                      }
                    });
              }
            });
  }

  private boolean current(Upstream u) {
    return !u.closed && upstreams.get(u.chainId) == u;
  }

  /** Reconnects with capped exponential back-off (§4a broken streams: same handshake). */
  private void retryLater(Upstream u) {
    onLoopLater(() -> connect(u), RetryDelays.millis(++u.failures));
  }

  /** Runs {@code task} on the loop after {@code delayMs}; dropped once the runtime is closed. */
  private void onLoopLater(Runnable task, long delayMs) {
    try {
      timers.schedule(() -> loop.execute(task), delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: nothing runs after close()
    }
  }

  private static CatenaError error(ErrorCode code, String message, int chainId) {
    return CatenaError.newBuilder().setCode(code).setMessage(message).setChainId(chainId).build();
  }

  @Override
  public void close() {
    installers.shutdownNow();
    timers.shutdownNow();
    loop.shutdown();
    try {
      if (!loop.awaitTermination(5, TimeUnit.SECONDS)) {
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    upstreams
        .values()
        .forEach(
            u -> {
              if (u.link != null) {
                u.link.close();
              }
            });
    downstreams.values().forEach(d -> d.link.close());
  }
}
