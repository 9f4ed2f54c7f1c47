package dev.catena.chain.protocol;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.List;

/**
 * An output of {@link ChainReplica#handle(Event)}, executed by the runtime in list order before the
 * next event is handled.
 */
public sealed interface Effect {

  /**
   * Apply {@code op} with version {@code seq} to local storage together with its exactly-once
   * record and its replication-log entry, deleting the exactly-once records of {@code op}'s client
   * for the request seqs in {@code released} (the replica's exactly-once table no longer needs
   * them); report {@link Event.Durable} when durable. Persist effects are emitted in strictly
   * increasing seq order and must be made durable in that order. {@code history} counts the
   * replica's rollbacks so far; the {@link Event.Durable} reporting this write carries it back.
   */
  record Persist(long seq, WriteOp op, WriteResult result, long history, List<Long> released)
      implements Effect {
    public Persist {
      released = List.copyOf(released);
    }

    /** A persist that releases nothing. */
    public Persist(long seq, WriteOp op, WriteResult result, long history) {
      this(seq, op, result, history, List.of());
    }
  }

  /** Send to the successor on the chain's downstream stream. */
  record SendDownstream(ChainMessage message) implements Effect {}

  /** Send to the predecessor on the chain's upstream stream. */
  record SendUpstream(ChainMessage message) implements Effect {}

  /**
   * Open (or re-open) the stream to {@code predecessor} for {@code epoch} and report {@link
   * Event.UpstreamOpened}; a null predecessor means close any upstream stream.
   */
  record OpenUpstream(String predecessor, long epoch) implements Effect {}

  /** Every write up to {@code seq} is committed: record it and trim the replication log. */
  record Committed(long seq) implements Effect {}

  /** Answer a client write. */
  record ReplyWrite(long callId, WriteResult result) implements Effect {}

  /** Answer a client read: read local storage now, before handling the next event. */
  record ServeRead(long callId) implements Effect {}

  /**
   * Grant the successor's snapshot request {@code callId} ({@link Event.SnapshotGrant}): everything
   * this replica had received when it asked is durable, so a snapshot of local storage holds it.
   */
  record GrantSnapshot(long callId) implements Effect {}

  /** Fail a client call with a typed error; {@code currentEpoch} is this replica's epoch. */
  record ReplyError(long callId, ErrorCode code, long currentEpoch, String message)
      implements Effect {}

  /**
   * Something the protocol cannot repair by itself happened (e.g. a successor ahead of its
   * predecessor, or missing entries that need a snapshot); the runtime reports it.
   */
  record Anomaly(String description) implements Effect {}

  /**
   * A SYNCING replica must install a snapshot of {@code from}'s store reflecting at least {@code
   * cut}; writes after {@code cut} arrive as forwards meanwhile and take precedence per key. Report
   * {@link Event.SnapshotInstalled} or {@link Event.SnapshotFailed}.
   */
  record InstallSnapshot(String from, long cut, long epoch) implements Effect {}

  /** A SYNCING replica has installed its snapshot and receives every write in order. */
  record CaughtUp(long epoch, long last) implements Effect {}

  /** Close the stream to the successor (it must say Hello again, e.g. to restart a join). */
  record ResetDownstream() implements Effect {}
}
