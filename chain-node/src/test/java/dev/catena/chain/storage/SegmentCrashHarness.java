package dev.catena.chain.storage;

import dev.catena.chain.storage.CrashStates.Loss;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * ALICE/CrashMonkey-style crash consistency of the real {@link SegmentChunkStore}: a seeded
 * workload runs once over a {@link PowerLossFileLayer} that records every file-system operation and
 * the position at which each write was acknowledged; then, for every cut point of that recording
 * and several ways of losing what was not made durable ({@link CrashStates}), the real store is
 * opened on what survives and checked against the acknowledgements.
 *
 * <p>The check, per chunk id: with no write of it in flight at the cut, the store must hold exactly
 * the last acknowledged state (its bytes, or no chunk after an acknowledged delete); with writes in
 * flight, any state from the last acknowledged one on, or a typed read error ({@link
 * ChecksumMismatchException}, {@link CorruptRecordException}). No other chunk may appear, the store
 * must open, and it must accept and return a new write.
 */
final class SegmentCrashHarness {
  static final Path ROOT = Path.of("/disk");
  static final Path DIR = ROOT.resolve("chunks");
  static final int SEGMENT_BYTES = 64 * 1024;
  private static final int BLOCK = ChunkRecords.BLOCK;
  private static final int[] SIZES = {
    0, 1, 100, 3000, BLOCK - 1, BLOCK, BLOCK + 1, 150_000, -1, -1, -1, -1
  };

  private SegmentCrashHarness() {}

  /** One step of a workload. */
  sealed interface Step {}

  /** Write {@code data} under {@code id}. */
  record Put(String id, byte[] data) implements Step {
    @Override
    public String toString() {
      return "put " + id + " (" + data.length + " bytes)";
    }
  }

  /** Delete {@code id}. */
  record Del(String id) implements Step {}

  /** Run compaction (on the calling thread, as the store does). */
  record Compact() implements Step {}

  /** Close the store cleanly and open it again. */
  record Reopen() implements Step {}

  /**
   * A seeded workload: bursts of puts (sizes around the 64 KiB block, and one larger than a
   * segment), overwrites and deletes; a clean reopen; two compactions. Writes in a burst are
   * submitted together, so under GROUP they form one batch.
   */
  static List<List<Step>> workload(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<List<Step>> bursts = new ArrayList<>();
    List<String> live = new ArrayList<>();
    int next = 0;
    for (int b = 0; b < 14; b++) {
      if (b == 5) {
        bursts.add(List.of(new Reopen()));
      }
      if (b == 9) {
        bursts.add(List.of(new Compact()));
      }
      List<Step> burst = new ArrayList<>();
      int n = 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        int r = rnd.nextInt(20);
        if (r < 11 || live.isEmpty()) {
          String id = "c" + next++;
          burst.add(new Put(id, data(rnd)));
          live.add(id);
        } else if (r < 14) {
          burst.add(new Put(live.get(rnd.nextInt(live.size())), data(rnd)));
        } else if (r < 19) {
          burst.add(new Del(live.remove(rnd.nextInt(live.size()))));
        } else {
          burst.add(new Del("never-written-" + rnd.nextInt(1000)));
        }
      }
      bursts.add(burst);
    }
    bursts.add(List.of(new Compact()));
    return bursts;
  }

  private static byte[] data(SplittableRandom rnd) {
    int size = SIZES[rnd.nextInt(SIZES.length)];
    byte[] b = new byte[size < 0 ? rnd.nextInt(20_000) : size];
    rnd.nextBytes(b);
    return b;
  }

  /** A client write or delete of the recording: where it was submitted and acknowledged. */
  record ClientOp(String id, byte[] data, int submittedAt, int ackedAt) {
    boolean isDelete() {
      return data == null;
    }
  }

  /** A recorded run: the file-system operations and the client operations over them. */
  record Recording(
      FsyncPolicy policy,
      long seed,
      CrashStates.Initial initial,
      List<PowerLossFileLayer.Op> ops,
      List<ClientOp> clientOps,
      int compactedSegments,
      int segmentsCreated) {

    /** Positions of the forces and directory syncs. */
    List<Integer> syncPoints() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i) instanceof PowerLossFileLayer.Force
            || ops.get(i) instanceof PowerLossFileLayer.SyncDirectory) {
          out.add(i);
        }
      }
      return out;
    }
  }

  static SegmentChunkStore open(FileLayer files, FsyncPolicy policy) {
    return SegmentChunkStore.open(
        DIR, policy, SEGMENT_BYTES, SegmentChunkStore.DEFAULT_MIN_LIVE_RATIO, files);
  }

  /** Runs the workload of {@code seed} over a recording file layer with {@code fault}. */
  static Recording record(FsyncPolicy policy, long seed, PowerLossFileLayer.Fault fault)
      throws InterruptedException {
    PowerLossFileLayer fs = PowerLossFileLayer.empty(ROOT, fault);
    List<ClientOp> done = Collections.synchronizedList(new ArrayList<>());
    int compacted = 0;
    SegmentChunkStore store = open(fs, policy);
    try {
      for (List<Step> burst : workload(seed)) {
        if (burst.get(0) instanceof Compact) {
          compacted += compact(fs, store, done);
          continue;
        }
        if (burst.get(0) instanceof Reopen) {
          store.close();
          store = open(fs, policy);
          continue;
        }
        int[] acked = new int[burst.size()];
        Arrays.fill(acked, Integer.MAX_VALUE);
        int[] submitted = new int[burst.size()];
        List<CompletableFuture<?>> futures = new ArrayList<>();
        PowerLossFileLayer.Hold hold = fs.holdNextForce();
        for (int i = 0; i < burst.size(); i++) {
          submitted[i] = fs.opCount();
          Step step = burst.get(i);
          CompletableFuture<?> f =
              step instanceof Put p
                  ? store.write(p.id(), ByteBuffer.wrap(p.data()))
                  : store.deleteAsync(((Del) step).id());
          int k = i;
          futures.add(f.whenComplete((v, e) -> acked[k] = e == null ? fs.opCount() : acked[k]));
          if (i == 0) {
            hold.awaitReached(); // the writer is parked in this write's force: the rest queue up
          }
        }
        hold.release();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        for (int i = 0; i < burst.size(); i++) {
          byte[] data = burst.get(i) instanceof Put p ? p.data() : null;
          String id = burst.get(i) instanceof Put p ? p.id() : ((Del) burst.get(i)).id();
          done.add(new ClientOp(id, data, submitted[i], acked[i]));
        }
      }
    } finally {
      store.close();
    }
    int created =
        (int)
            fs.ops().stream()
                .filter(
                    o ->
                        o instanceof PowerLossFileLayer.Create c
                            && c.path().toString().endsWith(".seg"))
                .count();
    return new Recording(
        policy, seed, fs.initial(), fs.ops(), List.copyOf(done), compacted, created);
  }

  /**
   * Runs compaction so that its write batches are the same on every run. Invariant between rounds:
   * the writer is parked in a force and the compacting thread is blocked on one of its futures (so
   * it has queued everything it can) or done. A round lets the writer go and parks the compactor at
   * its next file operation; if it gets there, the writer has nothing queued, so a client write
   * parks the writer again before the compactor may queue more.
   */
  private static int compact(PowerLossFileLayer fs, SegmentChunkStore store, List<ClientOp> done)
      throws InterruptedException {
    List<CompletableFuture<?>> barriers = new ArrayList<>();
    PowerLossFileLayer.Hold hold = fs.holdNextForce();
    barriers.add(barrier(fs, store, done));
    hold.awaitReached();
    CompletableFuture<CompactionStats> stats = new CompletableFuture<>();
    Thread compactor =
        new Thread(
            () -> {
              try {
                stats.complete(store.compact());
              } catch (Throwable t) {
                stats.completeExceptionally(t);
              }
            },
            "harness-compactor");
    compactor.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      spinUntil(() -> blockedOrDone(compactor), deadline);
      if (!compactor.isAlive()) {
        break;
      }
      PowerLossFileLayer.Hold next = fs.holdNextForce();
      PowerLossFileLayer.Hold park = fs.parkNextOperation(compactor);
      hold.release();
      hold = next;
      spinUntil(
          () ->
              park.isReached()
                  || !compactor.isAlive()
                  || (next.isReached() && compactor.getState() == Thread.State.WAITING),
          deadline);
      fs.clearPark();
      if (park.isReached()) {
        if (!next.isReached()) {
          barriers.add(barrier(fs, store, done));
          next.awaitReached();
        }
        park.release();
        park.awaitResumed();
      }
    }
    fs.clearHold();
    hold.release();
    compactor.join();
    barriers.forEach(CompletableFuture::join);
    return stats.join().segmentsCompacted();
  }

  /** A client write of no bytes whose acknowledgement is recorded like any other. */
  private static CompletableFuture<?> barrier(
      PowerLossFileLayer fs, SegmentChunkStore store, List<ClientOp> done) {
    String id = "barrier-" + done.size();
    int submitted = fs.opCount();
    int index = done.size();
    done.add(new ClientOp(id, new byte[0], submitted, Integer.MAX_VALUE));
    return store
        .write(id, ByteBuffer.allocate(0))
        .whenComplete(
            (v, e) -> {
              if (e == null) {
                done.set(index, new ClientOp(id, new byte[0], submitted, fs.opCount()));
              }
            });
  }

  private static boolean blockedOrDone(Thread t) {
    return !t.isAlive() || t.getState() == Thread.State.WAITING;
  }

  private static void spinUntil(java.util.function.BooleanSupplier condition, long deadline) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("compaction did not reach the expected point");
      }
      Thread.onSpinWait();
    }
  }

  /** What a recovered store can do wrong. */
  enum Kind {
    /** The store does not open on what survived. */
    OPEN_FAILED,
    /** An acknowledged write is gone, or unreadable, with no later write of that id in flight. */
    LOST_ACKNOWLEDGED,
    /** A chunk deleted with an acknowledgement is back. */
    RESURRECTED,
    /** A read returned bytes that no write of that id had. */
    WRONG_BYTES,
    /** A chunk id that was never written. */
    PHANTOM,
    /** A read failed with an untyped error. */
    READ_FAILED,
    /** The recovered store cannot take a new write. */
    UNWRITABLE
  }

  /** A broken promise found at one crash state. */
  record Violation(Kind kind, int cut, String loss, String chunkId, String detail) {}

  /**
   * Opens the store on the state {@code loss} leaves at {@code cut} and checks it. After any loss
   * but none, the recovery itself (open, then a probe write) is cut again at each of its
   * operations, with only its synced state left, and checked the same way: a crash during recovery
   * must not lose what the first crash kept.
   */
  static List<Violation> check(Recording r, int cut, Loss loss) {
    return checkCounted(r, cut, loss, new int[1]);
  }

  /** {@link #check}, adding the number of stores opened to {@code states[0]}. */
  static List<Violation> checkCounted(Recording r, int cut, Loss loss, int[] states) {
    CrashStates.State state = CrashStates.at(r.initial(), r.ops(), cut, loss);
    boolean again = !loss.toString().equals("nothing-lost");
    return checkState(r, cut, loss.toString(), state, again, -1, states);
  }

  private static final String PROBE = "probe-after-crash";
  private static final byte[] PROBE_BYTES = {7, 7, 7};

  /**
   * Checks the store opened on {@code state}; {@code probeAckedAt} is where an earlier recovery's
   * probe write was acknowledged in this state's history (-1: none, or not acknowledged).
   */
  private static List<Violation> checkState(
      Recording r,
      int cut,
      String l,
      CrashStates.State state,
      boolean again,
      int probeAcked,
      int[] states) {
    states[0]++;
    PowerLossFileLayer fs = new PowerLossFileLayer(state, PowerLossFileLayer.Fault.NONE);
    List<Violation> out = new ArrayList<>();
    SegmentChunkStore store;
    try {
      store = open(fs, r.policy());
    } catch (RuntimeException e) {
      out.add(new Violation(Kind.OPEN_FAILED, cut, l, null, e.toString()));
      return out;
    }
    int[] probeAckedAt = {-1};
    try {
      Set<String> ids = new HashSet<>();
      r.clientOps().forEach(o -> ids.add(o.id()));
      for (String id : ids) {
        checkChunk(r, cut, l, store, id, out);
      }
      for (String id : store.chunkIds()) {
        if (!ids.contains(id) && !id.equals(PROBE)) {
          out.add(new Violation(Kind.PHANTOM, cut, l, id, "never written"));
        }
      }
      if (probeAcked >= 0 && store.length(PROBE).isEmpty()) {
        out.add(new Violation(Kind.LOST_ACKNOWLEDGED, cut, l, PROBE, "written after recovery"));
      }
      try {
        store
            .write(PROBE, ByteBuffer.wrap(PROBE_BYTES))
            .whenComplete((v, e) -> probeAckedAt[0] = fs.opCount())
            .join();
        if (!Arrays.equals(bytes(store.read(PROBE, 0, PROBE_BYTES.length)), PROBE_BYTES)) {
          out.add(new Violation(Kind.UNWRITABLE, cut, l, PROBE, "read back differs"));
        }
      } catch (RuntimeException e) {
        out.add(new Violation(Kind.UNWRITABLE, cut, l, PROBE, e.toString()));
      }
    } finally {
      store.close();
    }
    if (again) {
      List<PowerLossFileLayer.Op> ops = fs.ops();
      for (int cut2 = 0; cut2 <= ops.size(); cut2++) {
        CrashStates.State s2 = CrashStates.at(fs.initial(), ops, cut2, Loss.syncedOnly());
        int acked = probeAckedAt[0] >= 0 && probeAckedAt[0] <= cut2 ? probeAckedAt[0] : -1;
        out.addAll(
            checkState(
                r, cut, l + ", then synced-only at recovery op " + cut2, s2, false, acked, states));
      }
    }
    return out;
  }

  private static void checkChunk(
      Recording r, int cut, String loss, SegmentChunkStore store, String id, List<Violation> out) {
    List<ClientOp> ops = r.clientOps().stream().filter(o -> o.id().equals(id)).toList();
    int lastAcked = -1;
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).ackedAt() <= cut) {
        lastAcked = i;
      }
    }
    // allowed states: after the last acknowledged op, then after each later op already submitted
    List<Optional<byte[]>> allowed = new ArrayList<>();
    allowed.add(lastAcked < 0 ? Optional.empty() : stateAfter(ops.get(lastAcked)));
    for (int i = lastAcked + 1; i < ops.size() && ops.get(i).submittedAt() < cut; i++) {
      allowed.add(stateAfter(ops.get(i)));
    }
    boolean inFlight = allowed.size() > 1;
    OptionalLong len = store.length(id);
    if (len.isEmpty()) {
      if (allowed.stream().noneMatch(Optional::isEmpty)) {
        out.add(new Violation(Kind.LOST_ACKNOWLEDGED, cut, loss, id, "no such chunk"));
      }
      return;
    }
    byte[] got;
    try {
      got = bytes(store.read(id, 0, (int) len.getAsLong()));
    } catch (ChecksumMismatchException | CorruptRecordException e) {
      if (!inFlight) {
        out.add(new Violation(Kind.LOST_ACKNOWLEDGED, cut, loss, id, e.toString()));
      }
      return;
    } catch (RuntimeException e) {
      out.add(new Violation(Kind.READ_FAILED, cut, loss, id, e.toString()));
      return;
    }
    if (allowed.stream().anyMatch(a -> a.isPresent() && Arrays.equals(a.get(), got))) {
      return;
    }
    boolean onlyAbsent = allowed.stream().allMatch(Optional::isEmpty);
    boolean earlier = ops.stream().anyMatch(o -> !o.isDelete() && Arrays.equals(o.data(), got));
    if (onlyAbsent && earlier) {
      out.add(new Violation(Kind.RESURRECTED, cut, loss, id, got.length + " bytes"));
    } else if (!inFlight && earlier) {
      out.add(new Violation(Kind.LOST_ACKNOWLEDGED, cut, loss, id, "an older version"));
    } else {
      out.add(new Violation(Kind.WRONG_BYTES, cut, loss, id, got.length + " bytes"));
    }
  }

  private static Optional<byte[]> stateAfter(ClientOp op) {
    return op.isDelete() ? Optional.empty() : Optional.of(op.data());
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** The outcome of checking every crash state of a recording. */
  record Outcome(int cutPoints, int statesChecked, List<Violation> violations) {}

  /**
   * Checks every cut point {@code 0..ops.size()} with nothing lost and with only what was synced,
   * plus {@code randomLosses} unordered and ordered partial losses each (seeded from the
   * recording). After every loss but none, the recovery is crashed again at each of its operations.
   */
  static Outcome checkAll(Recording r, int randomLosses) {
    List<Violation> violations = new ArrayList<>();
    int[] states = {0};
    for (int cut = 0; cut <= r.ops().size(); cut++) {
      List<Loss> losses = new ArrayList<>();
      losses.add(Loss.syncedOnly());
      losses.add(Loss.nothingLost());
      for (int i = 0; i < randomLosses; i++) {
        long s = r.seed() * 1_000_003L + cut * 131L + i;
        losses.add(Loss.unordered(s));
        losses.add(Loss.ordered(s));
      }
      for (Loss loss : losses) {
        violations.addAll(checkCounted(r, cut, loss, states));
      }
    }
    return new Outcome(r.ops().size() + 1, states[0], violations);
  }
}
