package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.proto.v1.DeleteObject;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.WriteOp;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rejoin by difference over real LevelDB and segment stores (DESIGN.md §4 "Rejoin": resync sends
 * only what differs; §4a "Rejoin with old data": uncommitted writes are rolled back; §4a "Snapshot
 * cut": forwarded keys win). A tail store streams to a joiner store exactly as the transport does,
 * minus the socket; {@code RejoinOverGrpcTest} covers the same over gRPC.
 */
class ResyncTest {
  private static final int CHAIN = 1;
  @TempDir Path dir;
  private final List<Replica> open = new ArrayList<>();

  /** One node's stores; reopened on the same directory after a simulated crash. */
  final class Replica implements AutoCloseable {
    final String name;
    LevelDbObjectStore meta;
    SegmentChunkStore chunks;
    DurableReplicaStore store;
    long seq;

    Replica(String name) {
      this.name = name;
      reopen();
    }

    void reopen() {
      meta = LevelDbObjectStore.open(dir.resolve(name).resolve("m"), FsyncPolicy.GROUP);
      chunks = SegmentChunkStore.open(dir.resolve(name).resolve("c"), FsyncPolicy.GROUP, 1 << 20);
      store = new DurableReplicaStore(meta, chunks);
      open.add(this);
    }

    void write(WriteOp op) {
      seq++;
      store.persist(CHAIN, seq, op, WriteOps.resultOf(seq, op), java.util.List.of()).join();
    }

    void commit() {
      store.markCommitted(CHAIN, seq);
    }

    /** Live records of the digested keyspace, with each chunk marker's chunk bytes appended. */
    Map<String, ByteString> contents() {
      var out = new TreeMap<String, ByteString>();
      try (CloseableIterator<StoredEntry> it = meta.scan(CHAIN, new byte[0], null)) {
        while (it.hasNext()) {
          StoredEntry e = it.next();
          if (e.value().tombstone() || !BucketDigests.covers(e.key())) {
            continue;
          }
          String key = new String(e.key(), java.nio.charset.StandardCharsets.UTF_8);
          ByteString v = ByteString.copyFrom(e.value().value());
          if (key.startsWith("c/")) {
            String id = key.substring(2);
            ByteBuffer data = chunks.read(id, 0, (int) chunks.length(id).orElseThrow());
            v = v.concat(ByteString.copyFrom(data));
          }
          out.put(key, v);
        }
      }
      return out;
    }

    @Override
    public void close() {
      store.close();
    }
  }

  /** What one resync streamed. */
  record Outcome(boolean installed, List<SnapshotEntry> sent) {
    /** Records (not the final marker). */
    long records() {
      return sent.stream().filter(e -> !e.getLast()).count();
    }

    ReplacedBuckets replaced() {
      SnapshotEntry first = sent.get(0);
      return first.hasResync()
          ? ReplacedBuckets.fromHeader(first.getResync())
          : ReplacedBuckets.all();
    }
  }

  @AfterEach
  void closeAll() {
    for (Replica r : open) {
      r.close();
    }
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 12);
  }

  private static WriteOp put(String client, long requestSeq, String key, String value) {
    return WriteOp.newBuilder()
        .setClientId(client)
        .setRequestSeq(requestSeq)
        .setPutManifest(
            ObjectManifest.newBuilder()
                .setBucket("bkt")
                .setKey(key)
                .setVersionId(value)
                .setInlineData(ByteString.copyFromUtf8(value)))
        .build();
  }

  private static WriteOp delete(String client, long requestSeq, String key) {
    return WriteOp.newBuilder()
        .setClientId(client)
        .setRequestSeq(requestSeq)
        .setDeleteObject(DeleteObject.newBuilder().setBucket("bkt").setKey(key))
        .build();
  }

  private static WriteOp chunk(String client, long requestSeq, String id, byte[] data) {
    return WriteOp.newBuilder()
        .setClientId(client)
        .setRequestSeq(requestSeq)
        .setPutChunk(
            PutChunk.newBuilder()
                .setChunkId(id)
                .setData(ByteString.copyFrom(data))
                .setCrc32C(ChunkIntegrity.crc32c(ByteString.copyFrom(data))))
        .build();
  }

  /** The same committed history on every replica: {@code n} objects and a few chunks. */
  private static void commonHistory(SplittableRandom rnd, int n, Replica... replicas) {
    var ops = new ArrayList<WriteOp>();
    for (int i = 0; i < n; i++) {
      ops.add(put("c" + (i % 7), i, "k" + i, "v" + rnd.nextInt()));
    }
    for (int i = 0; i < 8; i++) {
      byte[] data = new byte[1 + rnd.nextInt(70_000)];
      rnd.nextBytes(data);
      ops.add(chunk("c9", i, "ver-" + i + "/0", data));
    }
    for (Replica r : replicas) {
      ops.forEach(r::write);
      r.commit();
    }
  }

  /** Runs one join of {@code joiner} from {@code tail}, as NodeRuntime and the transport do. */
  private static Outcome resync(Replica tail, Replica joiner) {
    long token = joiner.store.beginSync(CHAIN);
    var digests = joiner.store.syncDigests(CHAIN, token);
    return install(tail, joiner, token, digests, Integer.MAX_VALUE);
  }

  private static Outcome install(
      Replica tail,
      Replica joiner,
      long token,
      java.util.Optional<BucketDigests> digests,
      int breakAfter) {
    var sent = new ArrayList<SnapshotEntry>();
    try (var source = tail.store.openSnapshot(CHAIN, digests)) {
      Iterator<SnapshotEntry> it = source.entries();
      Iterator<SnapshotEntry> recording =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              if (sent.size() >= breakAfter) {
                throw new io.grpc.StatusRuntimeException(io.grpc.Status.UNAVAILABLE);
              }
              return it.hasNext();
            }

            @Override
            public SnapshotEntry next() {
              SnapshotEntry e = it.next();
              sent.add(e);
              return e;
            }
          };
      boolean installed = joiner.store.installSnapshot(CHAIN, token, recording, (r, b) -> {});
      return new Outcome(installed, sent);
    }
  }

  /** Buckets in which two contents differ, computed from full scans. */
  private static BitSet differingBuckets(Map<String, ByteString> a, Map<String, ByteString> b) {
    var keys = new HashSet<>(a.keySet());
    keys.addAll(b.keySet());
    var out = new BitSet();
    for (String k : keys) {
      if (!java.util.Objects.equals(a.get(k), b.get(k))) {
        out.set(BucketDigests.bucketOf(k.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024));
      }
    }
    return out;
  }

  private static long recordsIn(Map<String, ByteString> contents, BitSet buckets) {
    return contents.keySet().stream()
        .filter(
            k ->
                buckets.get(
                    BucketDigests.bucketOf(
                        k.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024)))
        .count();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void identicalRejoinerReceivesNoBucket(long seed) {
    var tail = new Replica("tail");
    var joiner = new Replica("joiner");
    commonHistory(new SplittableRandom(seed), 300, tail, joiner);
    Outcome o = resync(tail, joiner);
    assertThat(o.installed()).as("seed %d", seed).isTrue();
    assertThat(o.replaced().count()).as("seed %d", seed).isZero();
    assertThat(o.records()).as("seed %d", seed).isZero();
    assertThat(joiner.contents()).as("seed %d", seed).isEqualTo(tail.contents());
  }

  /**
   * The joiner was down while the tail took more writes (it misses keys and values) and it holds
   * writes that never committed (extra keys, other values): it receives exactly the buckets whose
   * contents differ and ends byte-identical to the tail.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void rejoinerReceivesOnlyDifferingBucketsAndEndsIdentical(long seed) {
    var rnd = new SplittableRandom(seed);
    var tail = new Replica("tail");
    var joiner = new Replica("joiner");
    commonHistory(rnd, 400, tail, joiner);
    int changed = 1 + rnd.nextInt(8);
    for (int i = 0; i < changed; i++) {
      int k = rnd.nextInt(500); // beyond 400: a key the joiner misses
      tail.write(
          rnd.nextInt(4) == 0
              ? delete("t", i, "k" + k)
              : put("t", i, "k" + k, "tail-" + rnd.nextInt()));
    }
    tail.commit();
    for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
      // Uncommitted at the joiner (it was head when it died): extra keys and other values.
      joiner.write(put("j", i, "k" + rnd.nextInt(450), "uncommitted-" + rnd.nextInt()));
    }
    Map<String, ByteString> before = joiner.contents();
    Map<String, ByteString> want = tail.contents();
    BitSet expected = differingBuckets(before, want);

    Outcome o = resync(tail, joiner);

    String ctx = "seed " + seed + ", buckets " + expected;
    assertThat(o.installed()).as(ctx).isTrue();
    assertThat(o.replaced().count()).as(ctx).isEqualTo(expected.cardinality());
    assertThat(o.records()).as(ctx).isEqualTo(recordsIn(want, expected));
    assertThat(o.records()).as(ctx).isLessThan(want.size() / 4);
    for (SnapshotEntry e : o.sent()) {
      if (!e.getLast()) {
        assertThat(expected.get(BucketDigests.bucketOf(e.getKey().toByteArray(), 1024)))
            .as(ctx)
            .isTrue();
      }
    }
    assertThat(joiner.contents()).as(ctx).isEqualTo(want);
    // A second rejoin finds nothing to send.
    assertThat(resync(tail, joiner).records()).as(ctx).isZero();
  }

  /** Request seqs of {@code client} in a list of exactly-once records. */
  private static java.util.Set<Long> requests(
      List<dev.catena.chain.protocol.RecoveredState.DedupEntry> dedup, String client) {
    var out = new java.util.TreeSet<Long>();
    dedup.stream().filter(d -> d.clientId().equals(client)).forEach(d -> out.add(d.requestSeq()));
    return out;
  }

  /**
   * DESIGN §4 invariant 8 across a join: a client's exactly-once records at the joiner are the
   * union of what the snapshot brings (requests committed before the cut) and what forwarded writes
   * add, whichever reaches the store first — in memory after the install and on disk after a
   * restart. Forwarded writes land before the install, between its end and the moment the runtime
   * loads the records, and after; for a fresh joiner and for a rejoiner whose record of the client
   * is in an unchanged bucket.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void exactlyOnceRecordsSurviveAJoinWithForwardedWrites(boolean rejoiner) {
    var tail = new Replica("tail");
    var joiner = new Replica("joiner");
    if (rejoiner) {
      commonHistory(new SplittableRandom(5), 40, tail, joiner);
    } else {
      commonHistory(new SplittableRandom(5), 40, tail);
    }
    for (int i = 100; i < 105; i++) {
      tail.write(put("cx", i, "x" + i, "before-cut"));
      if (rejoiner) {
        joiner.write(put("cx", i, "x" + i, "before-cut"));
      }
    }
    tail.commit();
    if (rejoiner) {
      joiner.commit();
    }
    joiner.seq = tail.seq;

    long token = joiner.store.beginSync(CHAIN);
    tail.write(put("cx", 105, "x105", "forwarded-during-install"));
    joiner.write(put("cx", 105, "x105", "forwarded-during-install"));
    assertThat(install(tail, joiner, token, joiner.store.syncDigests(CHAIN, token), 1 << 30))
        .extracting(Outcome::installed)
        .isEqualTo(true);
    tail.write(put("cx", 106, "x106", "forwarded-after-install"));
    joiner.write(put("cx", 106, "x106", "forwarded-after-install"));
    var afterInstall = joiner.store.loadDedup(CHAIN);
    tail.write(put("cx", 107, "x107", "forwarded-after-load"));
    joiner.write(put("cx", 107, "x107", "forwarded-after-load"));

    var all = java.util.Set.of(100L, 101L, 102L, 103L, 104L, 105L, 106L);
    assertThat(requests(afterInstall, "cx")).containsAll(all);
    joiner.close();
    joiner.reopen();
    var recovered = joiner.store.recover(CHAIN).dedup();
    assertThat(requests(recovered, "cx")).containsAll(all).contains(107L);
    assertThat(requests(recovered, "cx"))
        .isEqualTo(requests(tail.store.recover(CHAIN).dedup(), "cx"));
  }

  /** §4a "Rejoin with old data": writes the joiner holds but that never committed are undone. */
  @Test
  void uncommittedRejoinerWritesAreRolledBack() {
    var tail = new Replica("tail");
    var joiner = new Replica("joiner");
    commonHistory(new SplittableRandom(3), 50, tail, joiner);
    long cut = tail.seq;
    joiner.write(put("j", 1, "ghost", "never-committed"));
    joiner.write(put("j", 2, "k1", "overwritten-uncommitted"));
    joiner.write(delete("j", 3, "k2"));
    byte[] orphan = new byte[1000];
    joiner.write(chunk("j", 4, "ver-orphan/0", orphan));
    assertThat(joiner.store.getObject(CHAIN, "bkt", "ghost")).isPresent();

    Outcome o = resync(tail, joiner);

    assertThat(o.installed()).isTrue();
    assertThat(o.replaced().count()).isPositive();
    assertThat(joiner.store.getObject(CHAIN, "bkt", "ghost")).isEmpty();
    assertThat(joiner.store.getObject(CHAIN, "bkt", "k1"))
        .isEqualTo(tail.store.getObject(CHAIN, "bkt", "k1"));
    assertThat(joiner.store.getObject(CHAIN, "bkt", "k2"))
        .isPresent()
        .isEqualTo(tail.store.getObject(CHAIN, "bkt", "k2"));
    assertThat(joiner.contents()).isEqualTo(tail.contents());
    var recovered = joiner.store.recover(CHAIN);
    assertThat(recovered.lastSeq()).isEqualTo(cut);
    assertThat(recovered.committedSeq()).isEqualTo(cut);
    assertThat(recovered.log()).isEmpty();
    assertThat(recovered.resyncRequired()).isFalse();
    // Their exactly-once records went with them: a retry must write again, not find a result.
    assertThat(requests(recovered.dedup(), "j")).isEmpty();
  }

  /** §4a "Snapshot cut": a write forwarded after the cut is never undone by the install. */
  @Test
  void forwardedWritesDuringTheResyncWin() {
    var tail = new Replica("tail");
    var joiner = new Replica("joiner");
    commonHistory(new SplittableRandom(4), 100, tail, joiner);
    tail.write(put("t", 1, "k5", "tail-at-cut"));
    joiner.write(put("j", 1, "k6", "uncommitted"));
    long cut = tail.seq;
    long token = joiner.store.beginSync(CHAIN);
    var digests = joiner.store.syncDigests(CHAIN, token);
    // Forwarded at cut + 1 while the snapshot streams: k5 overwritten, "late" a key the tail's
    // snapshot does not hold (the install must not delete it).
    WriteOp f1 = put("t", 2, "k5", "forwarded");
    joiner
        .store
        .persist(CHAIN, cut + 1, f1, WriteOps.resultOf(cut + 1, f1), java.util.List.of())
        .join();
    WriteOp f2 = put("t", 3, "late", "forwarded-new");
    joiner
        .store
        .persist(CHAIN, cut + 2, f2, WriteOps.resultOf(cut + 2, f2), java.util.List.of())
        .join();

    assertThat(install(tail, joiner, token, digests, Integer.MAX_VALUE).installed()).isTrue();

    assertThat(joiner.store.getObject(CHAIN, "bkt", "k5").orElseThrow().getVersionId())
        .isEqualTo("forwarded");
    assertThat(joiner.store.getObject(CHAIN, "bkt", "late")).isPresent();
    assertThat(joiner.store.getObject(CHAIN, "bkt", "k6").orElseThrow().getVersionId())
        .isEqualTo(tail.store.getObject(CHAIN, "bkt", "k6").orElseThrow().getVersionId());
    assertThat(joiner.store.recover(CHAIN).lastSeq()).isEqualTo(cut + 2);
  }

  @Test
  void wipedJoinerGetsAFullSnapshot() {
    var tail = new Replica("tail");
    commonHistory(new SplittableRandom(5), 300, tail);
    var joiner = new Replica("joiner");
    long token = joiner.store.beginSync(CHAIN);
    assertThat(joiner.store.syncDigests(CHAIN, token)).isEmpty();

    Outcome o = install(tail, joiner, token, java.util.Optional.empty(), Integer.MAX_VALUE);

    assertThat(o.installed()).isTrue();
    assertThat(o.replaced().full()).isTrue();
    assertThat(o.records()).isEqualTo(tail.contents().size());
    assertThat(joiner.contents()).isEqualTo(tail.contents());
  }

  /**
   * An install cut short leaves a partial replica that serves nothing (it recovers {@code
   * resyncRequired}); the next join sends only what still differs and ends identical.
   */
  @Test
  void installCutShortIsPartialAndTheRetrySendsLess() {
    var tail = new Replica("tail");
    commonHistory(new SplittableRandom(6), 3000, tail);
    var joiner = new Replica("joiner");
    joiner.write(put("j", 1, "k7", "uncommitted"));
    long token = joiner.store.beginSync(CHAIN);
    var digests = joiner.store.syncDigests(CHAIN, token);
    long full = tail.contents().size();
    assertThatThrownBy(() -> install(tail, joiner, token, digests, 1500))
        .isInstanceOf(io.grpc.StatusRuntimeException.class);
    // The batches written before the break reach the store; then the node crashes.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> joiner.contents().size() >= SnapshotInstaller.BATCH_RECORDS);
    joiner.close();
    open.remove(joiner);
    joiner.reopen();
    assertThat(joiner.store.recover(CHAIN).resyncRequired()).isTrue();

    Outcome retry = resync(tail, joiner);

    assertThat(retry.installed()).isTrue();
    assertThat(retry.replaced().full()).isFalse();
    assertThat(retry.records()).isPositive().isLessThan(full);
    assertThat(joiner.contents()).isEqualTo(tail.contents());
    assertThat(joiner.store.recover(CHAIN).resyncRequired()).isFalse();
  }
}
