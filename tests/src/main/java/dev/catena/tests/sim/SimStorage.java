package dev.catena.tests.sim;

import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Simulated storage of one node, modelled on {@code DurableReplicaStore} over a group-committed
 * store. Every operation is one <i>mutation</i>: visible at once ({@link #chain}), durable in
 * submission order when {@link #flush()} runs. A crash either keeps everything written ({@link
 * CrashMode#KEEP}) or loses the suffix not yet durable ({@link CrashMode#LOSE_UNSYNCED}); either
 * way the in-memory parts of the store (exactly-once windows being built, join sessions) are lost.
 *
 * <p>Joins follow the real store (DESIGN §4 "Rejoin", §4a "Rejoin with old data"): {@link
 * #beginSync} keeps the chain's data as the join's baseline and sets the "install incomplete"
 * marker (a restart then recovers {@link RecoveredState#partial()}); from then on the keys
 * forwarded writes touch are remembered and a snapshot record never overwrites them ({@link
 * #installBatch}); {@link #finishInstall} deletes every baseline record the snapshot did not carry
 * and no forwarded write touched — rolling back writes the node held but the chain never committed
 * — removes the marker and sets the progress record to the snapshot's cut. The simulated snapshot
 * always carries every record (no digests), so every bucket counts as replaced. A newer join of the
 * chain supersedes an older one, which then writes nothing.
 *
 * <p>Exactly-once records are modelled as one window per client ({@code d/<client>}) that a join
 * merges with the in-memory window on load; the real store keeps one record per request ({@code
 * RequestRecords}), whose union after a join is the same set of records.
 *
 * <p>It also asserts, on every persist, the in-order rule of one replica life (seq = last + 1);
 * {@link SimChainState} asserts exactly-once over the history it reflects.
 */
public final class SimStorage {
  /** What a crash does to records that are not yet durable. */
  public enum CrashMode {
    KEEP,
    LOSE_UNSYNCED
  }

  /** A join-data-path fault of the simulated store (tests only). */
  public enum InstallFault {
    NONE,
    /** Snapshot records overwrite keys that forwarded writes touched during the join. */
    SNAPSHOT_OVERWRITES_FORWARDED,
    /**
     * The resync keeps uncommitted writes: a baseline record with a higher version (seq) than the
     * snapshot's wins (versions compared as if seqs were never reused), and baseline records the
     * snapshot did not carry are kept.
     */
    RESYNC_KEEPS_UNCOMMITTED
  }

  /** What a snapshot of a chain holds: its cut, its records and (ghost) the history behind it. */
  record Image(
      long cut,
      List<SimChainState.SnapRecord> records,
      NavigableMap<Long, SimChainState.Stored> history) {}

  /** What one flush made durable. */
  record Flushed(Map<Integer, Event.Durable> writes, List<Runnable> callbacks) {}

  private interface Mutation {
    int chainId();

    void apply(SimChainState c);
  }

  private record Persist(
      int chainId, long seq, long history, WriteOp op, WriteResult r, SimChainState.Win w)
      implements Mutation {
    @Override
    public void apply(SimChainState c) {
      c.persist(seq, op, r, w);
    }
  }

  private record Commit(int chainId, long seq) implements Mutation {
    @Override
    public void apply(SimChainState c) {
      c.commit(seq);
    }
  }

  private record Begin(int chainId, long epoch) implements Mutation {
    @Override
    public void apply(SimChainState c) {
      c.beginSync(epoch);
    }
  }

  private record Batch(
      int chainId, Map<String, SimChainState.Obj> objs, Map<String, SimChainState.Win> wins)
      implements Mutation {
    @Override
    public void apply(SimChainState c) {
      c.installRecords(objs, wins);
    }
  }

  private record Finish(
      int chainId,
      long applied,
      long committed,
      Set<String> rolledBack,
      NavigableMap<Long, SimChainState.Stored> history,
      Runnable onDurable)
      implements Mutation {
    @Override
    public void apply(SimChainState c) {
      c.rollBack(rolledBack);
      c.finishInstall(applied, committed, history);
    }
  }

  /**
   * An in-memory join session: the keys forwarded writes touched since it began, the clients whose
   * exactly-once records they rewrote ({@code d/<client>}), and the keys the snapshot carried.
   */
  private record SyncSession(
      long token, Set<String> forwarded, Set<String> forwardedClients, Set<String> carried) {}

  private final String nodeId;
  private final InstallFault fault;
  private final List<Mutation> log = new ArrayList<>();
  private int durableCount;
  private final Map<Integer, SimChainState> chains = new HashMap<>();
  private final Map<Integer, SimChainState> durable = new HashMap<>();
  // In memory only (lost on crash), as in the real store.
  private final Map<Integer, Map<String, DedupWindow>> dedup = new HashMap<>();
  private final Map<Integer, SyncSession> syncs = new HashMap<>();
  private final Map<Integer, Long> lastApplied = new HashMap<>();
  private final Map<Integer, Long> replicaLast = new HashMap<>();
  private long nextToken = 1;

  SimStorage(String nodeId, InstallFault fault) {
    this.nodeId = nodeId;
    this.fault = fault;
  }

  /** The visible state of a chain (created empty on first use). */
  public SimChainState chain(int chainId) {
    return chains.computeIfAbsent(chainId, c -> new SimChainState(nodeId));
  }

  /** The durable state of a chain: what a crash that loses unsynced writes would leave. */
  public SimChainState durableChain(int chainId) {
    return durable.computeIfAbsent(chainId, c -> new SimChainState(nodeId));
  }

  /** True if some mutations are not yet durable. */
  boolean dirty() {
    return durableCount < log.size();
  }

  private void submit(Mutation m) {
    m.apply(chain(m.chainId()));
    log.add(m);
  }

  // ---- the replica's writes --------------------------------------------------------------------

  /** Applies write {@code seq} with its exactly-once window; durable at a later flush. */
  void persist(int chainId, long seq, long history, WriteOp op, WriteResult result) {
    long expected = replicaLast.getOrDefault(chainId, 0L) + 1;
    if (seq != expected) {
      throw new InvariantViolation(
          Violation.ORDER,
          "in-order apply: "
              + nodeId
              + " chain "
              + chainId
              + " persists "
              + seq
              + " after "
              + (expected - 1));
    }
    replicaLast.put(chainId, seq);
    SyncSession s = syncs.get(chainId);
    if (s != null) {
      s.forwarded().add(WriteOps.keyOf(op));
      s.forwardedClients().add(SimChainState.windowKey(op.getClientId()));
    }
    lastApplied.merge(chainId, seq, Math::max);
    submit(new Persist(chainId, seq, history, op, result, updateDedup(chainId, op, result, seq)));
  }

  /** Records a commit mark (sets the committed progress, like {@code markCommitted}). */
  void markCommitted(int chainId, long seq) {
    submit(new Commit(chainId, seq));
  }

  private SimChainState.Win updateDedup(int chainId, WriteOp op, WriteResult result, long seq) {
    Map<String, DedupWindow> w = dedup.computeIfAbsent(chainId, c -> new HashMap<>());
    DedupWindow old = w.getOrDefault(op.getClientId(), DedupWindow.getDefaultInstance());
    DedupWindow window = DedupWindows.next(old, op, result);
    w.put(op.getClientId(), window);
    return new SimChainState.Win(window, seq);
  }

  /**
   * The exactly-once records of a chain: the stored windows merged into the in-memory ones (as
   * {@code DurableReplicaStore.loadDedup}).
   */
  List<RecoveredState.DedupEntry> loadDedup(int chainId) {
    Map<String, DedupWindow> w = dedup.computeIfAbsent(chainId, c -> new HashMap<>());
    chain(chainId)
        .windows
        .forEach(
            (client, stored) -> {
              DedupWindow mem = w.get(client);
              w.put(
                  client, mem == null ? stored.window() : DedupWindows.merge(mem, stored.window()));
            });
    var out = new ArrayList<RecoveredState.DedupEntry>();
    new TreeMap<>(w)
        .forEach(
            (client, win) ->
                win.getItemsList()
                    .forEach(
                        i ->
                            out.add(
                                new RecoveredState.DedupEntry(
                                    client, i.getRequestSeq(), i.getResult()))));
    return out;
  }

  /** What a (re)created replica of {@code chainId} reads back. */
  RecoveredState recover(int chainId) {
    SimChainState c = chain(chainId);
    dedup.remove(chainId);
    if (c.marker) {
      replicaLast.put(chainId, 0L);
      return RecoveredState.partial();
    }
    long last = c.applied;
    long committed = Math.min(c.committed, last);
    NavigableMap<Long, WriteOp> replLog = new TreeMap<>(c.log.subMap(committed, false, last, true));
    replicaLast.put(chainId, last);
    return new RecoveredState(last, committed, replLog, loadDedup(chainId));
  }

  // ---- joins
  // -------------------------------------------------------------------------------------

  /**
   * Starts a join of {@code chainId} whose replica cut is {@code cut} (ghost: the replica's history
   * restarts after it) at {@code epoch}; returns the join's token.
   */
  long beginSync(int chainId, long cut, long epoch) {
    long token = nextToken++;
    syncs.put(chainId, new SyncSession(token, new HashSet<>(), new HashSet<>(), new HashSet<>()));
    lastApplied.remove(chainId);
    dedup.remove(chainId);
    replicaLast.put(chainId, cut);
    submit(new Begin(chainId, epoch));
    return token;
  }

  /** True while {@code token} is the chain's current join. */
  boolean isCurrentSync(int chainId, long token) {
    SyncSession s = syncs.get(chainId);
    return s != null && s.token() == token;
  }

  /**
   * Installs snapshot records, except those whose key a forwarded write touched during the join;
   * returns false (writing nothing) if the join was superseded.
   */
  boolean installBatch(int chainId, long token, List<SimChainState.SnapRecord> records) {
    SyncSession s = syncs.get(chainId);
    if (s == null || s.token() != token) {
      return false;
    }
    var objs = new TreeMap<String, SimChainState.Obj>();
    var wins = new TreeMap<String, SimChainState.Win>();
    for (SimChainState.SnapRecord r : records) {
      s.carried().add(r.key());
      if (fault != InstallFault.SNAPSHOT_OVERWRITES_FORWARDED && s.forwarded().contains(r.key())) {
        continue;
      }
      if (r.obj() != null) {
        SimChainState.Obj mine = chain(chainId).object(r.key());
        if (fault == InstallFault.RESYNC_KEEPS_UNCOMMITTED
            && mine != null
            && mine.version() > r.obj().version()) {
          continue;
        }
        objs.put(r.key(), r.obj());
      } else {
        wins.put(r.key().substring(2), r.win());
      }
    }
    submit(new Batch(chainId, objs, wins));
    return true;
  }

  /**
   * Ends the join {@code token}: baseline records neither carried nor touched by a forwarded write
   * deleted, marker removed, progress = (max(cut, highest forwarded), cut); {@code onDurable} runs
   * once that is durable.
   *
   * @return the number of records rolled back, or -1 (writing nothing) if the join was superseded
   */
  int finishInstall(
      int chainId,
      long token,
      long cut,
      NavigableMap<Long, SimChainState.Stored> history,
      Runnable onDurable) {
    if (!isCurrentSync(chainId, token)) {
      return -1;
    }
    SyncSession s = syncs.remove(chainId);
    long applied = Math.max(cut, lastApplied.getOrDefault(chainId, 0L));
    Set<String> rolledBack = new java.util.TreeSet<>();
    if (fault != InstallFault.RESYNC_KEEPS_UNCOMMITTED) {
      for (String key : chain(chainId).recordKeys()) {
        if (!s.carried().contains(key)
            && !s.forwarded().contains(key)
            && !s.forwardedClients().contains(key)) {
          rolledBack.add(key);
        }
      }
    }
    submit(new Finish(chainId, applied, cut, rolledBack, history, onDurable));
    return rolledBack.size();
  }

  /** A consistent image of a chain for a joining successor (the visible state, as LevelDB). */
  Image openSnapshot(int chainId) {
    SimChainState c = chain(chainId);
    return new Image(c.applied, c.records(), c.historyUpTo(c.applied));
  }

  // ---- durability and crashes ------------------------------------------------------------------

  /** Makes everything submitted so far durable. */
  Flushed flush() {
    Map<Integer, Event.Durable> writes = new TreeMap<>();
    List<Runnable> callbacks = new ArrayList<>();
    for (int i = durableCount; i < log.size(); i++) {
      Mutation m = log.get(i);
      m.apply(durableChain(m.chainId()));
      if (m instanceof Persist p) {
        writes.put(p.chainId(), new Event.Durable(p.seq(), p.history()));
      } else if (m instanceof Finish f && f.onDurable() != null) {
        callbacks.add(f.onDurable());
      }
    }
    durableCount = log.size();
    return new Flushed(writes, callbacks);
  }

  /** Crashes the node's storage; in-memory parts of the store are lost either way. */
  void crash(CrashMode mode) {
    if (mode == CrashMode.KEEP) {
      flush();
    } else {
      log.subList(durableCount, log.size()).clear();
    }
    chains.clear();
    durable.forEach((id, c) -> chains.put(id, c.copy()));
    dedup.clear();
    syncs.clear();
    lastApplied.clear();
    replicaLast.clear();
  }
}
