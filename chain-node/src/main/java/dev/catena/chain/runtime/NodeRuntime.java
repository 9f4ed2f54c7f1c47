package dev.catena.chain.runtime;

import dev.catena.chain.protocol.ChainReplica;
import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.WriteOp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage node's event loop: one loop runs the pure {@link ChainReplica} of every chain the
 * node belongs to and executes their effects (persist through {@link ReplicaStore}, send through
 * {@link PeerTransport}, answer {@link ClientCall}s). Transport handlers and storage callbacks only
 * enqueue events, in the style of ZooKeeper's request-processor pipeline: receive → persist (group
 * commit on the storage writer thread) → forward/ack → reply.
 *
 * <p>The loop, its timers, blocking work and the clock come from a {@link LoopScheduler} (threads
 * in production, virtual time in the simulation); the parts around the loop each own one job:
 * {@link ClientCalls} (admission and waiting calls), {@link Upstreams} (streams to predecessors,
 * reconnects), {@link Downstreams} (streams from successors), {@link JoinInstalls} (snapshot
 * installs of a joining replica), {@link MembershipFilter} (which configurations are this node's,
 * by incarnation), {@link NodeFence} (whether the node may serve at all), {@link PinnedReadServer}
 * (reads off the loop) and {@link FailStop}.
 *
 * <p>Client calls are admitted only while the {@link NodeFence} lets the node serve (DESIGN.md §4
 * invariant 7); its changes reach every replica as {@link Event.FenceChanged}. The number of calls
 * waiting inside the runtime is bounded, and while calls wait too long for the loop (a standing
 * queue, {@link LoopDelayGate}) new ones are refused at the door; both fail with {@code
 * OVERLOADED}, which the client answers by backing off, instead of waiting until its deadline.
 *
 * <p><b>Fail-stop on storage errors.</b> Every effect is executed in isolation: one that throws
 * never stops the effects after it. A persist (or commit mark) that fails, synchronously or through
 * its future, stops the node's storage for good: no later persist is submitted, no later {@link
 * Event.Durable} is reported (so no write behind the failed one is ever acknowledged), every
 * replica receives {@link Event.StorageFailed}, the {@link NodeFence} stays fenced, and the
 * {@linkplain #setStorageFailureHandler failure handler} runs once so the node can leave the
 * cluster (the coordinator then replaces it). Only a restart brings it back.
 */
public final class NodeRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  private final String nodeId;
  private final ReplicaStore store;
  private final WriteAdmission writeAdmission;
  private final int maxPendingPerChain;
  private final LoopScheduler loop;
  private final AutoCloseable ownedScheduler;
  private final ClientCalls calls;
  private final Upstreams upstreams;
  private final Downstreams downstreams = new Downstreams();
  private final JoinInstalls joins;
  private final MembershipFilter membership;
  private final NodeFence fence;
  private final PinnedReadServer reads;
  private final FailStop failStop;

  // Owned by the loop thread.
  private final Map<Integer, ChainReplica> replicas = new HashMap<>();
  private Map<String, NodeInfo> nodes = Map.of();

  /**
   * A runtime on its own threads ({@link ThreadLoopScheduler}), closed with it.
   *
   * @param nodeId this node's id
   * @param store durable storage
   * @param transport streams to predecessors
   * @param fence whether the node may serve (fed by its ZooKeeper membership)
   * @param maxPendingPerChain in-flight writes per chain at the head
   * @param maxQueuedCalls client calls waiting inside the runtime, over all chains
   */
  public NodeRuntime(
      String nodeId,
      ReplicaStore store,
      PeerTransport transport,
      NodeFence fence,
      int maxPendingPerChain,
      int maxQueuedCalls) {
    this(
        nodeId,
        store,
        transport,
        fence,
        maxPendingPerChain,
        maxQueuedCalls,
        new ThreadLoopScheduler(nodeId),
        true);
  }

  /**
   * A runtime driven by {@code scheduler}, which the caller owns (closing the runtime does not
   * close it).
   */
  public NodeRuntime(
      String nodeId,
      ReplicaStore store,
      PeerTransport transport,
      NodeFence fence,
      int maxPendingPerChain,
      int maxQueuedCalls,
      LoopScheduler scheduler) {
    this(nodeId, store, transport, fence, maxPendingPerChain, maxQueuedCalls, scheduler, false);
  }

  private NodeRuntime(
      String nodeId,
      ReplicaStore store,
      PeerTransport transport,
      NodeFence fence,
      int maxPendingPerChain,
      int maxQueuedCalls,
      LoopScheduler scheduler,
      boolean owned) {
    this.nodeId = nodeId;
    this.store = store;
    this.writeAdmission = new WriteAdmission(store);
    this.maxPendingPerChain = maxPendingPerChain;
    this.loop = scheduler;
    this.ownedScheduler = owned ? (AutoCloseable) scheduler : null;
    this.calls =
        new ClientCalls(
            nodeId,
            fence,
            maxQueuedCalls,
            new LoopDelayGate(
                LoopDelayGate.DEFAULT_TARGET_NANOS,
                LoopDelayGate.DEFAULT_INTERVAL_NANOS,
                scheduler.nanoTime()));
    this.upstreams = new Upstreams(transport, loop, id -> nodes.get(id), this::dispatch);
    this.joins =
        new JoinInstalls(nodeId, store, transport, loop, id -> nodes.get(id), this::dispatch);
    this.membership = new MembershipFilter(nodeId);
    this.fence = fence;
    this.reads = new PinnedReadServer(nodeId, store, scheduler);
    this.failStop = new FailStop(loop, fence);
    fence.onChange(
        () ->
            loop.execute(
                () -> {
                  boolean fenced = fence.fenced();
                  replicas.keySet().forEach(c -> dispatch(c, new Event.FenceChanged(fenced)));
                }));
  }

  /**
   * Sets what runs (once, off the event loop) when local storage fails: the node's membership
   * closes its ZooKeeper session so the coordinator cuts the node out of its chains.
   */
  public void setStorageFailureHandler(Consumer<String> handler) {
    failStop.setHandler(handler);
  }

  /** Why local storage failed, if it did (the node then serves nothing until restarted). */
  public Optional<String> storageFailure() {
    return Optional.ofNullable(failStop.reason());
  }

  /** Sets who learns about this node's joins (the ZooKeeper membership publishes them). */
  public void setSyncListener(SyncListener listener) {
    joins.setListener(listener);
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
   * NOT_MEMBER (it stops serving there). Which listings are this node's is decided by {@link
   * MembershipFilter} from {@code incarnation}, the incarnation of its current registration.
   */
  public void applyConfiguration(
      String incarnation, Map<String, NodeInfo> nodes, Collection<ChainConfig> chains) {
    var nodesCopy = Map.copyOf(nodes);
    var chainsCopy = List.copyOf(chains);
    loop.execute(() -> onConfiguration(incarnation, nodesCopy, chainsCopy));
  }

  /** Submits a client write to chain {@code chainId}, routed by the client at {@code epoch}. */
  public void submitWrite(int chainId, long epoch, WriteOp op, WriteCall call) {
    IntFunction<Optional<CatenaError>> refusal =
        WriteAdmission.needsStorage(op)
            ? c -> writeAdmission.refusal(c, op)
            : c -> Optional.empty();
    admit(call, id -> new Event.ClientWrite(id, op, epoch), chainId, refusal);
  }

  /**
   * Submits a client read; {@code key} is the protocol key ({@code WriteOps.objectKey} or {@code
   * chunkKey}) or null for a listing.
   */
  public void submitRead(int chainId, long epoch, String key, ReadCall call) {
    admit(call, id -> new Event.ClientRead(id, key, epoch), chainId, c -> Optional.empty());
  }

  /**
   * A successor asks for a snapshot of {@code chainId}: granted once everything this node received
   * is durable, so {@code call.grant()} may open {@link ReplicaStore#openSnapshot} on the event
   * loop.
   */
  public void submitSnapshot(int chainId, long epoch, String fromNode, SnapshotCall call) {
    admit(call, id -> new Event.SnapshotGrant(id, fromNode, epoch), chainId, c -> Optional.empty());
  }

  /**
   * Admits a call; {@code refusal}, run on the loop just before the event is dispatched, may refuse
   * it with a typed error instead.
   */
  private void admit(
      ClientCall call,
      LongFunction<Event> event,
      int chainId,
      IntFunction<Optional<CatenaError>> refusal) {
    long admitted = loop.nanoTime();
    Optional<CatenaError> refused = calls.admit(chainId, admitted);
    if (refused.isPresent()) {
      call.failed(refused.get());
      return;
    }
    loop.execute(
        () -> {
          calls.dispatched(admitted, loop.nanoTime());
          Optional<CatenaError> why =
              replicas.containsKey(chainId)
                  ? refusal.apply(chainId)
                  : Optional.of(
                      ClientCalls.error(
                          ErrorCode.UNKNOWN_CHAIN, "chain " + chainId + " not here", chainId));
          if (why.isPresent()) {
            calls.release();
            call.failed(why.get());
            return;
          }
          dispatch(chainId, event.apply(calls.register(call)));
        });
  }

  /** A successor opened (or re-opened) its stream for {@code chainId}. */
  public void downstreamOpened(int chainId, String fromNode, PeerTransport.DownstreamLink link) {
    loop.execute(() -> downstreams.opened(chainId, fromNode, link));
  }

  /** A message from a successor. */
  public void downstreamMessage(int chainId, String fromNode, ChainMessage message) {
    loop.execute(
        () -> {
          if (!replicas.containsKey(chainId)) {
            // No configuration for this chain yet: close the stream so the successor reconnects
            // and says Hello again later, instead of losing its Hello.
            downstreams.reset(chainId);
            return;
          }
          dispatch(chainId, new Event.FromDownstream(fromNode, message));
        });
  }

  /** A successor's stream closed. */
  public void downstreamClosed(int chainId, PeerTransport.DownstreamLink link) {
    loop.execute(
        () -> {
          if (downstreams.closed(chainId, link)) {
            dispatch(chainId, new Event.DownstreamLost());
          }
        });
  }

  /** Status of every replica, computed on the loop. */
  public List<ReplicaStatus> status() {
    var result = new CompletableFuture<List<ReplicaStatus>>();
    loop.execute(
        () -> result.complete(replicas.values().stream().map(ChainReplica::status).toList()));
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("status unavailable", e);
    }
  }

  private void onConfiguration(
      String incarnation, Map<String, NodeInfo> nodes, List<ChainConfig> chains) {
    this.nodes = nodes;
    for (ChainConfig c : chains) {
      int chainId = c.getChainId();
      ChainReplica r = replicas.get(chainId);
      Optional<Event> event =
          membership.eventFor(
              incarnation, c, r == null ? OptionalLong.empty() : OptionalLong.of(r.view().epoch()));
      if (event.isEmpty()) {
        continue;
      }
      if (r == null) {
        r = createReplica(chainId);
        if (r == null) {
          continue;
        }
      }
      Role before = r.status().role();
      run(chainId, r, event.get());
      if (r.status().role() != before) {
        LOG.info("chain {} epoch {}: {} -> {}", chainId, c.getEpoch(), before, r.status().role());
      }
    }
  }

  /** Recovers a chain from storage and starts its replica; null if the chain cannot be read. */
  private ChainReplica createReplica(int chainId) {
    RecoveredState recovered;
    try {
      recovered = store.recover(chainId);
    } catch (RuntimeException e) {
      LOG.error("cannot recover chain {}; not taking part in it", chainId, e);
      return null;
    }
    ChainReplica r = new ChainReplica(nodeId, chainId, recovered, maxPendingPerChain);
    replicas.put(chainId, r);
    run(chainId, r, new Event.FenceChanged(fence.fenced()));
    String failed = failStop.reason();
    if (failed != null) {
      run(chainId, r, new Event.StorageFailed(failed));
    }
    return r;
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
        execute(chainId, r, effect);
      } catch (RuntimeException | Error e) {
        // A persist that did not reach the store must stop it: a later Durable would otherwise
        // acknowledge this write too. An Error anywhere (out of memory) leaves the node's state
        // unknown, so it stops the storage as well. Found with 64 concurrent 4 MiB puts: an
        // OutOfMemoryError on the loop skipped a chunk's persist, the next write's Durable
        // acknowledged it, and a committed manifest named a chunk the node never stored.
        if (effect instanceof Effect.Persist
            || effect instanceof Effect.Committed
            || e instanceof Error) {
          storageFailed(chainId + " " + effect.getClass().getSimpleName(), e);
        } else {
          LOG.error("chain {} at {}: effect {} failed", chainId, nodeId, effect, e);
        }
      }
    }
    joins.after(chainId, r);
  }

  /**
   * Stops this node's storage for good (fail-stop; see the type's Javadoc). Runs on the loop; the
   * replicas learn it from a queued event, and until then the latch keeps any Durable from reaching
   * them.
   */
  private void storageFailed(String what, Throwable cause) {
    String reason = "chain " + what + ": " + cause;
    if (!failStop.trip(reason)) {
      return;
    }
    LOG.error("node {} storage failed ({}); stopping (fail-stop)", nodeId, what, cause);
    loop.execute(
        () -> replicas.keySet().forEach(c -> dispatch(c, new Event.StorageFailed(reason))));
  }

  private void execute(int chainId, ChainReplica r, Effect effect) {
    if (effect instanceof Effect.Persist p) {
      persist(chainId, p);
    } else if (effect instanceof Effect.SendDownstream s) {
      downstreams.send(chainId, r.view().successor(nodeId), s.message());
    } else if (effect instanceof Effect.SendUpstream s) {
      upstreams.send(chainId, s.message());
    } else if (effect instanceof Effect.OpenUpstream o) {
      upstreams.open(chainId, o.predecessor(), o.epoch());
    } else if (effect instanceof Effect.Committed c) {
      if (failStop.reason() == null) {
        store.markCommitted(chainId, c.seq());
      }
    } else if (effect instanceof Effect.ReplyWrite w) {
      calls.committed(w.callId(), w.result());
    } else if (effect instanceof Effect.ServeRead s) {
      calls.serve(chainId, s.callId(), read -> reads.serve(chainId, read));
    } else if (effect instanceof Effect.GrantSnapshot g) {
      calls.grant(chainId, g.callId());
    } else if (effect instanceof Effect.ReplyError e) {
      calls.failed(chainId, e);
    } else if (effect instanceof Effect.InstallSnapshot i) {
      joins.start(chainId, i);
    } else if (effect instanceof Effect.CaughtUp c) {
      joins.caughtUp(chainId, c.epoch(), c.last());
    } else if (effect instanceof Effect.ResetDownstream) {
      downstreams.reset(chainId);
    } else if (effect instanceof Effect.Anomaly a) {
      LOG.warn("chain {} at {}: {}", chainId, nodeId, a.description());
    }
  }

  private void persist(int chainId, Effect.Persist p) {
    if (failStop.reason() != null) {
      return; // fail-stop: nothing more is written, nothing more becomes durable
    }
    store
        .persist(chainId, p.seq(), p.op(), p.result(), p.released())
        .whenComplete(
            (v, err) ->
                loop.execute(
                    () -> {
                      if (err != null) {
                        storageFailed(chainId + " persist of seq " + p.seq(), err);
                      } else if (failStop.reason() == null) {
                        dispatch(chainId, new Event.Durable(p.seq(), p.history()));
                      }
                    }));
  }

  @Override
  public void close() {
    if (ownedScheduler != null) {
      try {
        ownedScheduler.close();
      } catch (Exception e) {
        LOG.warn("closing the scheduler of node {} failed", nodeId, e);
      }
    }
    upstreams.closeAll();
    downstreams.closeAll();
  }
}
