package dev.catena.chain.runtime;

import dev.catena.chain.protocol.Effect;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.WriteResult;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client calls (and successors' snapshot requests) waiting inside the runtime for the protocol's
 * verdict: admission at the door (the {@link NodeFence}, a bound on waiting calls, and the {@link
 * LoopDelayGate} while the loop has a standing queue), the table that maps the protocol's call ids
 * back to the calls, and each call's answer (exactly one per call).
 *
 * <p>Threading: {@link #admit} runs on the caller's (transport) thread; {@link #release}, {@link
 * #register} and {@link #take} run on the event loop. The count of waiting calls is the only state
 * shared between them.
 */
final class ClientCalls {
  private final String nodeId;
  private final NodeFence fence;
  private final int maxQueued;
  private final AtomicInteger queued = new AtomicInteger();
  private final LoopDelayGate loopDelay;

  // Owned by the loop thread.
  private final Map<Long, ClientCall> calls = new HashMap<>();
  private long nextCallId = 1;

  /**
   * @param fence whether the node may serve; asked at admission and again when a read or snapshot
   *     is served
   * @param maxQueued calls waiting inside the runtime, over all chains
   * @param loopDelay refuses calls while those admitted wait too long for the loop
   */
  ClientCalls(String nodeId, NodeFence fence, int maxQueued, LoopDelayGate loopDelay) {
    this.nodeId = nodeId;
    this.fence = fence;
    this.maxQueued = maxQueued;
    this.loopDelay = loopDelay;
  }

  /**
   * Admits a call to {@code chainId} and reserves its place, or says why not.
   *
   * @param nowNanos the loop scheduler's time; the call's {@link #dispatched} passes it back
   */
  Optional<CatenaError> admit(int chainId, long nowNanos) {
    Optional<CatenaError> fenced = fenced(chainId);
    if (fenced.isPresent()) {
      return fenced;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return Optional.of(error(ErrorCode.OVERLOADED, "node " + nodeId + " is overloaded", chainId));
    }
    if (!loopDelay.admits(nowNanos)) {
      queued.decrementAndGet();
      return Optional.of(
          error(
              ErrorCode.OVERLOADED,
              "node "
                  + nodeId
                  + " is overloaded: calls waited at least "
                  + loopDelay.lastShortestWaitNanos() / 1_000_000
                  + " ms for its event loop; retry after a back-off",
              chainId));
    }
    return Optional.empty();
  }

  /** On the loop: a call admitted at {@code admittedNanos} is dispatched at {@code nowNanos}. */
  void dispatched(long admittedNanos, long nowNanos) {
    loopDelay.observe(admittedNanos, nowNanos);
  }

  /** An admitted call was refused on the loop before it got an id: frees its place. */
  void release() {
    queued.decrementAndGet();
  }

  /** Gives an admitted call its id for the protocol. */
  long register(ClientCall call) {
    long id = nextCallId++;
    calls.put(id, call);
    return id;
  }

  /** {@link Effect.ReplyWrite}: the write committed. */
  void committed(long callId, WriteResult result) {
    ClientCall call = take(callId);
    if (call == null) {
      return;
    }
    if (!(call instanceof WriteCall write)) {
      throw answeredAs(callId, "write");
    }
    write.committed(result);
  }

  /**
   * {@link Effect.ServeRead}: the read may be served, if the node still may — §4a zombies: a node
   * frozen (GC, SIGSTOP) past its lease may wake with queued reads before any session event
   * arrives, so the fence (with the lease) is asked again when a read is served.
   *
   * @param reader carries the read out (the runtime pins the state now and reads off the loop)
   */
  void serve(int chainId, long callId, java.util.function.Consumer<ReadCall> reader) {
    ClientCall call = take(callId);
    if (call == null) {
      return;
    }
    if (!(call instanceof ReadCall read)) {
      throw answeredAs(callId, "read");
    }
    fenced(chainId).ifPresentOrElse(read::failed, () -> reader.accept(read));
  }

  /** {@link Effect.GrantSnapshot}: the successor's snapshot may be opened (lease as for reads). */
  void grant(int chainId, long callId) {
    ClientCall call = take(callId);
    if (call == null) {
      return;
    }
    if (!(call instanceof SnapshotCall snapshot)) {
      throw answeredAs(callId, "snapshot request");
    }
    fenced(chainId).ifPresentOrElse(snapshot::failed, snapshot::grant);
  }

  private Optional<CatenaError> fenced(int chainId) {
    return fence.refusal().map(why -> error(ErrorCode.FENCED, why, chainId));
  }

  /** The protocol answered a call with another kind's verdict: a bug in the protocol core. */
  private static IllegalStateException answeredAs(long callId, String kind) {
    return new IllegalStateException("call " + callId + " answered as a " + kind);
  }

  /** {@link Effect.ReplyError}: the call failed with the protocol's typed error. */
  void failed(int chainId, Effect.ReplyError e) {
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
  }

  /** Removes the call with this id (frees its place); null if unknown or already answered. */
  private ClientCall take(long callId) {
    ClientCall call = calls.remove(callId);
    if (call != null) {
      queued.decrementAndGet();
    }
    return call;
  }

  static CatenaError error(ErrorCode code, String message, int chainId) {
    return CatenaError.newBuilder().setCode(code).setMessage(message).setChainId(chainId).build();
  }
}
