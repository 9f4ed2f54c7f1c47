package dev.catena.chain.protocol;

import dev.catena.proto.v1.ErrorCode;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Reads at the tail that wait for a write to become durable (invariant 5: the tail exposes only
 * committed state). Each read waits for one seq; reads are released in arrival order.
 */
final class DeferredReads {
  private record Read(long callId, long untilSeq) {}

  private final ArrayDeque<Read> reads = new ArrayDeque<>();

  void add(long callId, long untilSeq) {
    reads.add(new Read(callId, untilSeq));
  }

  /** Serves every read whose write is durable now. */
  void serve(long durable, List<Effect> out) {
    for (var it = reads.iterator(); it.hasNext(); ) {
      Read r = it.next();
      if (r.untilSeq() <= durable) {
        out.add(new Effect.ServeRead(r.callId()));
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
