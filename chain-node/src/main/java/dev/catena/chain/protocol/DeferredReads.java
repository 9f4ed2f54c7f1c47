package dev.catena.chain.protocol;

import dev.catena.proto.v1.ErrorCode;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Reads at the tail that wait for a write to become durable (invariant 5: the tail exposes only
 * committed state). Each read waits for one seq; reads are released in arrival order.
 *
 * <p>A <b>barrier</b> holds every read back: a member promoted from SYNCING to tail may lack writes
 * its predecessor committed while it was the tail (forwarding to the joiner lags), so it serves
 * nothing until the predecessor has told it, after a Hello in the new epoch, the last seq it sent
 * ({@link #sentThrough}) and that seq is durable here.
 *
 * <p>The same queue holds successors' snapshot requests, which wait for everything received to be
 * durable; each kind is released with its own effect.
 */
final class DeferredReads {
  private record Read(long callId, long untilSeq) {}

  private final ArrayDeque<Read> reads = new ArrayDeque<>();
  private final LongFunction<Effect> released;
  private boolean barrierPending;
  private long barrier = -1;

  /**
   * @param released the effect that releases a waiting call ({@link Effect.ServeRead} for reads,
   *     {@link Effect.GrantSnapshot} for snapshot requests)
   */
  DeferredReads(LongFunction<Effect> released) {
    this.released = released;
  }

  /**
   * A new epoch: a promotion from SYNCING to tail raises the barrier until {@link #sentThrough}; a
   * replica that is no longer tail, or has no predecessor to answer, drops it.
   */
  void roleChanged(Role before, Role now, boolean hasPredecessor) {
    if (before == Role.SYNCING && now.isTail() && hasPredecessor) {
      barrierPending = true;
    } else if (!now.isTail() || !hasPredecessor) {
      barrierPending = false;
    }
  }

  /** The predecessor has sent every write through {@code seq}. */
  void sentThrough(long seq) {
    if (barrierPending) {
      barrierPending = false;
      barrier = seq;
    }
  }

  /** True if a read that needs {@code untilSeq} durable may be served now. */
  boolean servable(long untilSeq, long durable) {
    return untilSeq <= readable(durable);
  }

  /** Everything durable if the barrier is passed, else -1 (nothing). */
  private long readable(long durable) {
    return !barrierPending && durable >= barrier ? durable : -1;
  }

  void add(long callId, long untilSeq) {
    reads.add(new Read(callId, untilSeq));
  }

  /** Serves every read whose write is durable now. */
  void serve(long durable, List<Effect> out) {
    long readable = readable(durable);
    for (var it = reads.iterator(); it.hasNext(); ) {
      Read r = it.next();
      if (r.untilSeq() <= readable) {
        out.add(released.apply(r.callId()));
        it.remove();
      }
    }
  }

  /** Fails every waiting read (the replica stopped being a serving tail). */
  void fail(ErrorCode code, long epoch, List<Effect> out) {
    for (Read r : reads) {
      out.add(new Effect.ReplyError(r.callId(), code, epoch, "read abandoned: " + code));
    }
    reads.clear();
  }
}
