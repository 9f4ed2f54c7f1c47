package dev.catena.tests.sim;

import dev.catena.chain.protocol.WriteOps;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one node stores for one chain, modelled on {@code DurableReplicaStore}: object records
 * ({@code o/…}: value or tombstone, version = seq of the write), exactly-once windows ({@code
 * d/<client>}), the replication log ({@code l/…}), the progress record (applied, committed; each
 * mutation <i>sets</i> them, as LevelDB does) and the "install incomplete" marker of a join.
 *
 * <p>Beside the real records it keeps <b>ghost</b> state that only the invariant checks read: the
 * history of writes this state reflects (seq → write, with running prefix fingerprints), the key →
 * value map that history implies, and the requests it applied. After a join the history up to the
 * snapshot's cut is the source's; until the install finishes the history is incomplete and checks
 * that need it are skipped.
 */
public final class SimChainState {
  /** An object record: {@code value} null means tombstone; {@code version} is the write's seq. */
  public record Obj(String value, long version) {}

  /** A client's exactly-once window as stored under {@code d/<client>}, with its version. */
  public record Win(DedupWindow window, long version) {}

  /** One write of the ghost history. */
  public record Stored(WriteOp op, WriteResult result, long fingerprint) {}

  /** One record of a snapshot: an object record ({@code o/…}) or a window ({@code d/…}). */
  record SnapRecord(String key, Obj obj, Win win) {}

  final TreeMap<String, Obj> objects = new TreeMap<>();
  final TreeMap<String, Win> windows = new TreeMap<>();
  final TreeMap<Long, WriteOp> log = new TreeMap<>();
  long applied;
  long committed;
  boolean marker;
  long resetEpoch;

  // ---- ghost ----
  final TreeMap<Long, Stored> history = new TreeMap<>();
  private final ArrayList<Long> prefix = new ArrayList<>();
  private final Map<String, Obj> ghostKv = new HashMap<>();
  private final Map<String, Long> requests = new HashMap<>();
  private boolean complete = true;
  private final String owner;

  SimChainState(String owner) {
    this.owner = owner;
  }

  SimChainState copy() {
    SimChainState c = new SimChainState(owner);
    c.objects.putAll(objects);
    c.windows.putAll(windows);
    c.log.putAll(log);
    c.applied = applied;
    c.committed = committed;
    c.marker = marker;
    c.resetEpoch = resetEpoch;
    c.history.putAll(history);
    c.prefix.addAll(prefix);
    c.ghostKv.putAll(ghostKv);
    c.requests.putAll(requests);
    c.complete = complete;
    return c;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Highest seq of the history this state reflects (0 if none). */
  public long last() {
    return history.isEmpty() ? 0 : history.lastKey();
  }

  /** True unless a join's install is under way or was cut short (the ghost history is partial). */
  public boolean complete() {
    return complete && !marker;
  }

  /** Fingerprint of the history up to {@code seq} (0 for the empty history); needs complete. */
  public long prefixFingerprint(long seq) {
    return seq == 0 ? 0 : prefix.get((int) (seq - 1));
  }

  /** The write of the history at {@code seq}, or null. */
  public Stored at(long seq) {
    return history.get(seq);
  }

  /** The stored object record of protocol key {@code key}, or null if never written. */
  public Obj object(String key) {
    return objects.get(key);
  }

  /** The value a read of protocol key {@code key} sees, or null if absent. */
  public String read(String key) {
    Obj o = objects.get(key);
    return o == null ? null : o.value();
  }

  /** The value the ghost history implies for {@code key} (null = absent). */
  public String ghostRead(String key) {
    Obj o = ghostKv.get(key);
    return o == null ? null : o.value();
  }

  /** The epoch at which this node last began a join of the chain (0 if never). */
  public long resetEpoch() {
    return resetEpoch;
  }

  // ---- mutations -----------------------------------------------------------------------------

  void persist(long seq, WriteOp op, WriteResult result, Win window) {
    String key = WriteOps.keyOf(op);
    objects.put(key, new Obj(op.hasPutManifest() ? op.getPutManifest().getVersionId() : null, seq));
    windows.put(op.getClientId(), window);
    log.put(seq, op);
    applied = seq;
    ghostPut(seq, new Stored(op, result, Fingerprint.of(op)));
  }

  void commit(long seq) {
    committed = seq; // the log is a ring: entries are overwritten, never trimmed here
  }

  /**
   * A join begins: the chain's records stay as the join's baseline (as in the real store), the
   * install marker is set, and the ghost history restarts (it is incomplete until the install
   * ends). The progress record restarts too: with the marker set a restart recovers a partial
   * replica whatever it says, and the install sets it when it ends.
   */
  void beginSync(long epoch) {
    applied = 0;
    committed = 0;
    marker = true;
    resetEpoch = epoch;
    history.clear();
    prefix.clear();
    ghostKv.clear();
    requests.clear();
    complete = false;
  }

  /** The key of {@code client}'s exactly-once record, as a snapshot names it. */
  static String windowKey(String client) {
    return "d/" + client;
  }

  /** Keys of every object and exactly-once record, as a snapshot names them. */
  List<String> recordKeys() {
    var keys = new ArrayList<String>(objects.keySet());
    windows.keySet().forEach(c -> keys.add(windowKey(c)));
    return keys;
  }

  /** Deletes records (resync rollback): object keys and {@code d/<client>} keys. */
  void rollBack(java.util.Set<String> keys) {
    for (String k : keys) {
      if (k.startsWith("d/")) {
        windows.remove(k.substring(2));
      } else {
        objects.remove(k);
      }
    }
  }

  void installRecords(Map<String, Obj> objs, Map<String, Win> wins) {
    objects.putAll(objs);
    windows.putAll(wins);
  }

  /** The install ends: marker removed, progress set, ghost history below the cut taken over. */
  void finishInstall(long newApplied, long newCommitted, NavigableMap<Long, Stored> source) {
    marker = false;
    if (newApplied != 0) {
      applied = newApplied;
    }
    if (newCommitted != 0) {
      committed = newCommitted;
    }
    if (source == null) {
      return; // the source's history was itself partial: the ghost stays incomplete
    }
    for (var e : source.entrySet()) {
      history.putIfAbsent(e.getKey(), e.getValue());
    }
    long expect = 1;
    for (long s : history.keySet()) {
      if (s != expect++) {
        return; // a gap: leave the ghost incomplete
      }
    }
    complete = true;
    prefix.clear();
    ghostKv.clear();
    requests.clear();
    long fp = 0;
    for (var e : history.entrySet()) {
      fp = Fingerprint.mix(fp, e.getValue().fingerprint());
      prefix.add(fp);
      ghostApply(e.getKey(), e.getValue());
    }
  }

  private void ghostPut(long seq, Stored s) {
    Stored old = history.put(seq, s);
    if (!complete) {
      return;
    }
    if (old != null && old.fingerprint() == s.fingerprint()) {
      return; // the same write again (a resend after the progress record went back)
    }
    if (seq > prefix.size() + 1) {
      throw new InvariantViolation(
          Violation.ORDER,
          "in-order apply: " + owner + " stores seq " + seq + " after " + prefix.size());
    }
    if (old != null) {
      // Another write at a seq this history held: the rest of the ghost history is rebuilt.
      history.tailMap(seq, false).clear();
      while (prefix.size() >= seq) {
        prefix.remove(prefix.size() - 1);
      }
      requests.clear();
      ghostKv.clear();
      for (var e : history.headMap(seq, false).entrySet()) {
        ghostApply(e.getKey(), e.getValue());
      }
    }
    prefix.add(Fingerprint.mix(prefixFingerprint(seq - 1), s.fingerprint()));
    ghostApply(seq, s);
  }

  private void ghostApply(long seq, Stored s) {
    WriteOp op = s.op();
    String req = op.getClientId() + "#" + op.getRequestSeq();
    Long earlier = requests.putIfAbsent(req, seq);
    if (earlier != null && earlier != seq) {
      throw new InvariantViolation(
          Violation.DOUBLE_APPLY,
          "exactly-once: "
              + owner
              + " applied request "
              + req
              + " at seq "
              + earlier
              + " and "
              + seq);
    }
    ghostKv.put(
        WriteOps.keyOf(op),
        new Obj(op.hasPutManifest() ? op.getPutManifest().getVersionId() : null, seq));
  }

  /** The history up to {@code cut} (for a snapshot), or null if this ghost is partial. */
  NavigableMap<Long, Stored> historyUpTo(long cut) {
    return complete() ? new TreeMap<>(history.headMap(cut, true)) : null;
  }

  /** Object and window records in key order, as a snapshot streams them. */
  List<SnapRecord> records() {
    var all = new TreeMap<String, SnapRecord>();
    objects.forEach((k, v) -> all.put(k, new SnapRecord(k, v, null)));
    windows.forEach((k, v) -> all.put(windowKey(k), new SnapRecord(windowKey(k), null, v)));
    return new ArrayList<>(all.values());
  }
}
