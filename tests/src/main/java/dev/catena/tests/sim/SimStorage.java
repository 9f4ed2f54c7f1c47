package dev.catena.tests.sim;

import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Simulated storage of one node. Every {@code Persist} and {@code Committed} effect appends a
 * record to one ordered log; records become durable strictly in order, in groups (group commit),
 * when {@link #flush()} runs. A crash either keeps everything written ({@link CrashMode#KEEP}) or
 * loses the suffix that was not yet durable ({@link CrashMode#LOSE_UNSYNCED}).
 *
 * <p>Per chain it exposes the applied history (seq → write) with a running prefix fingerprint, the
 * key → value state reads see, and the {@link RecoveredState} a restart reads back. It also
 * asserts, on every persist, the in-order rule (seq = last + 1) and exactly-once (no request
 * applied twice in one history); violations throw {@link InvariantViolation}.
 */
public final class SimStorage {
  /** What a crash does to records that are not yet durable. */
  public enum CrashMode {
    KEEP,
    LOSE_UNSYNCED
  }

  private record Rec(int chainId, long seq, WriteOp op, WriteResult result, long commitMark) {}

  /** One applied write. */
  public record Stored(WriteOp op, WriteResult result, long fingerprint) {}

  /** Per-chain view of the stored records. */
  public static final class ChainData {
    final TreeMap<Long, Stored> applied = new TreeMap<>();
    final ArrayList<Long> prefix = new ArrayList<>();
    final Map<String, String> kv = new HashMap<>();
    final Map<String, Long> requests = new HashMap<>();
    long durableSeq;
    long committedDurable;

    /** Highest applied seq (0 if none). */
    public long last() {
      return applied.isEmpty() ? 0 : applied.lastKey();
    }

    /** Fingerprint of the history up to {@code seq} (0 for the empty history). */
    public long prefixFingerprint(long seq) {
      return seq == 0 ? 0 : prefix.get((int) (seq - 1));
    }

    /** The write applied at {@code seq}, or null. */
    public Stored at(long seq) {
      return applied.get(seq);
    }

    /** Highest durable seq. */
    public long durableSeq() {
      return durableSeq;
    }

    /** The value a read of protocol key {@code key} sees, or null if absent. */
    public String read(String key) {
      return kv.get(key);
    }
  }

  private final String nodeId;
  private final List<Rec> log = new ArrayList<>();
  private int durableCount;
  private final Map<Integer, ChainData> chains = new HashMap<>();

  SimStorage(String nodeId) {
    this.nodeId = nodeId;
  }

  /** The data of a chain (created empty on first use). */
  public ChainData chain(int chainId) {
    return chains.computeIfAbsent(chainId, c -> new ChainData());
  }

  /** True if some records are not yet durable. */
  boolean dirty() {
    return durableCount < log.size();
  }

  /** Applies write {@code seq}; it becomes durable at a later {@link #flush()}. */
  void persist(int chainId, long seq, WriteOp op, WriteResult result) {
    ChainData c = chain(chainId);
    if (seq != c.last() + 1) {
      throw new InvariantViolation(
          "in-order apply: "
              + nodeId
              + " chain "
              + chainId
              + " persists "
              + seq
              + " after "
              + c.last());
    }
    apply(c, seq, op, result);
    log.add(new Rec(chainId, seq, op, result, -1));
  }

  private void apply(ChainData c, long seq, WriteOp op, WriteResult result) {
    String req = op.getClientId() + "#" + op.getRequestSeq();
    Long earlier = c.requests.putIfAbsent(req, seq);
    if (earlier != null) {
      throw new InvariantViolation(
          "exactly-once: "
              + nodeId
              + " applied request "
              + req
              + " at seq "
              + earlier
              + " and "
              + seq);
    }
    long fp = Fingerprint.of(op);
    long prev = c.prefixFingerprint(seq - 1);
    c.prefix.add(Fingerprint.mix(prev, fp));
    c.applied.put(seq, new Stored(op, result, fp));
    String key = WriteOps.keyOf(op);
    if (op.hasPutManifest()) {
      c.kv.put(key, op.getPutManifest().getVersionId());
    } else {
      c.kv.remove(key);
    }
  }

  /** Records a commit mark (durable in order with the writes). */
  void markCommitted(int chainId, long seq) {
    log.add(new Rec(chainId, seq, null, null, seq));
  }

  /**
   * Makes everything written so far durable and returns, per chain, the highest write seq that
   * became durable by this flush.
   */
  Map<Integer, Long> flush() {
    Map<Integer, Long> newlyDurable = new TreeMap<>();
    for (int i = durableCount; i < log.size(); i++) {
      Rec r = log.get(i);
      ChainData c = chain(r.chainId);
      if (r.commitMark >= 0) {
        c.committedDurable = Math.max(c.committedDurable, r.commitMark);
      } else {
        c.durableSeq = r.seq;
        newlyDurable.put(r.chainId, r.seq);
      }
    }
    durableCount = log.size();
    return newlyDurable;
  }

  /** Crashes the node's storage. */
  void crash(CrashMode mode) {
    if (mode == CrashMode.KEEP) {
      flush();
      return;
    }
    log.subList(durableCount, log.size()).clear();
    chains.clear();
    for (Rec r : log) {
      ChainData c = chain(r.chainId);
      if (r.commitMark >= 0) {
        c.committedDurable = Math.max(c.committedDurable, r.commitMark);
      } else {
        apply(c, r.seq, r.op, r.result);
        c.durableSeq = r.seq;
      }
    }
  }

  /** What a restarted replica of {@code chainId} reads back (everything here is durable). */
  RecoveredState recover(int chainId) {
    ChainData c = chain(chainId);
    long last = c.durableSeq;
    long committed = Math.min(c.committedDurable, last);
    NavigableMap<Long, WriteOp> replLog = new TreeMap<>();
    Map<String, Long> ackedBelow = new HashMap<>();
    for (var e : c.applied.headMap(last, true).entrySet()) {
      if (e.getKey() > committed) {
        replLog.put(e.getKey(), e.getValue().op());
      }
      WriteOp op = e.getValue().op();
      ackedBelow.merge(op.getClientId(), op.getAckedBelow(), Math::max);
    }
    var dedup = new ArrayList<RecoveredState.DedupEntry>();
    for (Stored s : c.applied.headMap(last, true).values()) {
      WriteOp op = s.op();
      if (op.getRequestSeq() >= ackedBelow.get(op.getClientId())) {
        dedup.add(new RecoveredState.DedupEntry(op.getClientId(), op.getRequestSeq(), s.result()));
      }
    }
    return new RecoveredState(last, committed, replLog, dedup);
  }
}
