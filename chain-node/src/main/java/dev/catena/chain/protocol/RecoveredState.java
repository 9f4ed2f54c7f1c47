package dev.catena.chain.protocol;

import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What a replica reads back from durable storage when its node starts.
 *
 * @param lastSeq highest seq durably applied (0 if none)
 * @param committedSeq highest seq known committed (≤ lastSeq)
 * @param log the durable replication log: every write in (committedSeq, lastSeq], by seq
 * @param dedup exactly-once records of this chain
 * @param resyncRequired the local data is partial (a join was cut short): the replica serves
 *     nothing until it has installed a snapshot again
 */
public record RecoveredState(
    long lastSeq,
    long committedSeq,
    NavigableMap<Long, WriteOp> log,
    List<DedupEntry> dedup,
    boolean resyncRequired) {

  /** A state whose data can be trusted as far as it goes. */
  public RecoveredState(
      long lastSeq, long committedSeq, NavigableMap<Long, WriteOp> log, List<DedupEntry> dedup) {
    this(lastSeq, committedSeq, log, dedup, false);
  }

  /** Validates that the log covers exactly (committedSeq, lastSeq]. */
  public RecoveredState {
    log = new TreeMap<>(log);
    dedup = List.copyOf(dedup);
    if (committedSeq < 0 || committedSeq > lastSeq) {
      throw new IllegalArgumentException(
          "committed " + committedSeq + " outside [0, last " + lastSeq + "]");
    }
    for (long s = committedSeq + 1; s <= lastSeq; s++) {
      if (!log.containsKey(s)) {
        throw new IllegalArgumentException("replication log misses seq " + s);
      }
    }
  }

  /** The state of a replica that has never stored anything. */
  public static RecoveredState empty() {
    return new RecoveredState(0, 0, new TreeMap<>(), List.of());
  }

  /** The state of a replica whose join was cut short: nothing usable until it joins again. */
  public static RecoveredState partial() {
    return new RecoveredState(0, 0, new TreeMap<>(), List.of(), true);
  }

  /**
   * A stored exactly-once record: the result of request (clientId, requestSeq), with the client's
   * {@code acked_below} mark as stored (requests below it are never retried, and a request below it
   * that arrives anyway is refused rather than applied again).
   */
  public record DedupEntry(String clientId, long requestSeq, WriteResult result, long ackedBelow) {
    /** A record without a known acked mark. */
    public DedupEntry(String clientId, long requestSeq, WriteResult result) {
      this(clientId, requestSeq, result, 0);
    }
  }
}
