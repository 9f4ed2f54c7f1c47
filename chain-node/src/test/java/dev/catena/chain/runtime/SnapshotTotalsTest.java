package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.catena.proto.v1.SnapshotTotals;
import dev.catena.proto.v1.WriteOp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The totals a snapshot stream announces on its first entry (DESIGN.md §4 "Add a tail": progress of
 * the snapshot is visible) are exactly what the stream then carries and what the joiner installs,
 * for a full snapshot and for a resync of differing buckets (§4 "Rejoin"); the source totals are
 * what the sender holds in all. Counted independently here from a scan of the sender's store with
 * the chunk index.
 */
class SnapshotTotalsTest {
  private static final int CHAIN = 3;
  @TempDir Path dir;
  private final List<Node> open = new ArrayList<>();

  /** One node's stores. */
  final class Node {
    final LevelDbObjectStore meta;
    final SegmentChunkStore chunks;
    final DurableReplicaStore store;
    long seq;

    Node(String name) {
      meta = LevelDbObjectStore.open(dir.resolve(name).resolve("m"), FsyncPolicy.GROUP);
      chunks = SegmentChunkStore.open(dir.resolve(name).resolve("c"), FsyncPolicy.GROUP, 1 << 20);
      store = new DurableReplicaStore(meta, chunks);
      open.add(this);
    }

    void write(WriteOp op) {
      seq++;
      store.persist(CHAIN, seq, op, WriteOps.resultOf(seq, op), java.util.List.of()).join();
      store.markCommitted(CHAIN, seq);
    }

    /** Live records of the digested keyspace and their bytes, chunk data included. */
    long[] held() {
      long records = 0;
      long bytes = 0;
      try (CloseableIterator<StoredEntry> it = meta.scan(CHAIN, new byte[0], null)) {
        while (it.hasNext()) {
          StoredEntry e = it.next();
          if (e.value().tombstone() || !BucketDigests.covers(e.key())) {
            continue;
          }
          records++;
          bytes += e.key().length + e.value().value().length;
          String key = new String(e.key(), StandardCharsets.UTF_8);
          if (key.startsWith("c/")) {
            bytes += chunks.length(key.substring(2)).orElseThrow();
          }
        }
      }
      return new long[] {records, bytes};
    }
  }

  /** One join: what was announced, what was sent, what the installer reported. */
  record Join(SnapshotTotals totals, boolean diff, long sentRecords, long sentBytes, long[] done) {}

  @AfterEach
  void closeAll() {
    open.forEach(n -> n.store.close());
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 10);
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

  private static void history(SplittableRandom rnd, int objects, int chunks, Node... nodes) {
    var ops = new ArrayList<WriteOp>();
    for (int i = 0; i < objects; i++) {
      ops.add(put("c" + (i % 5), i, "k" + i, "v".repeat(1 + rnd.nextInt(300))));
    }
    for (int i = 0; i < chunks; i++) {
      byte[] data = new byte[1 + rnd.nextInt(90_000)];
      rnd.nextBytes(data);
      ops.add(
          WriteOp.newBuilder()
              .setClientId("c9")
              .setRequestSeq(i)
              .setPutChunk(
                  PutChunk.newBuilder()
                      .setChunkId("ver-" + i + "/0")
                      .setData(ByteString.copyFrom(data))
                      .setCrc32C(ChunkIntegrity.crc32c(ByteString.copyFrom(data))))
              .build());
    }
    for (Node n : nodes) {
      ops.forEach(n::write);
    }
  }

  /** Streams from {@code tail} to {@code joiner} as the runtime does, through {@link TotalsTap}. */
  private static Join join(Node tail, Node joiner) {
    long token = joiner.store.beginSync(CHAIN);
    Optional<BucketDigests> digests = joiner.store.syncDigests(CHAIN, token);
    var announced = new ArrayList<Object[]>();
    long[] sent = new long[2];
    long[] done = new long[2];
    try (var source = tail.store.openSnapshot(CHAIN, digests)) {
      var counting =
          new java.util.Iterator<SnapshotEntry>() {
            final java.util.Iterator<SnapshotEntry> it = source.entries();

            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public SnapshotEntry next() {
              SnapshotEntry e = it.next();
              if (!e.getLast()) {
                sent[0]++;
                sent[1] += e.getKey().size() + e.getValue().size() + e.getChunkData().size();
              }
              return e;
            }
          };
      var tap = new TotalsTap(counting, (t, diff) -> announced.add(new Object[] {t, diff}));
      boolean installed =
          joiner.store.installSnapshot(
              CHAIN,
              token,
              tap,
              (r, b) -> {
                done[0] = r;
                done[1] = b;
              });
      assertThat(installed).isTrue();
    }
    assertThat(announced).as("totals announced once").hasSize(1);
    return new Join(
        (SnapshotTotals) announced.get(0)[0],
        (Boolean) announced.get(0)[1],
        sent[0],
        sent[1],
        done);
  }

  private static void assertAnnouncedIsWhatCame(Join j, String ctx) {
    assertThat(j.totals().getRecords()).as(ctx).isEqualTo(j.sentRecords()).isEqualTo(j.done()[0]);
    assertThat(j.totals().getBytes()).as(ctx).isEqualTo(j.sentBytes()).isEqualTo(j.done()[1]);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void fullSnapshotAnnouncesExactlyWhatItCarries(long seed) {
    var tail = new Node("tail");
    history(new SplittableRandom(seed), 200 + (int) seed * 37, 3, tail);
    var joiner = new Node("joiner");

    Join j = join(tail, joiner);

    String ctx = "seed " + seed;
    long[] held = tail.held();
    assertThat(j.diff()).as(ctx).isFalse();
    assertAnnouncedIsWhatCame(j, ctx);
    assertThat(j.totals().getRecords()).as(ctx).isEqualTo(held[0]);
    assertThat(j.totals().getBytes()).as(ctx).isEqualTo(held[1]);
    assertThat(j.totals().getSourceRecords()).as(ctx).isEqualTo(held[0]);
    assertThat(j.totals().getSourceBytes()).as(ctx).isEqualTo(held[1]);
    assertThat(joiner.held()).as(ctx).containsExactly(held);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void resyncAnnouncesExactlyTheDifferingBucketsAndTheWhole(long seed) {
    var rnd = new SplittableRandom(seed);
    var tail = new Node("tail");
    var joiner = new Node("joiner");
    history(rnd, 500, 4, tail, joiner);
    int changes = 1 + rnd.nextInt(6);
    for (int i = 0; i < changes; i++) {
      int k = rnd.nextInt(600);
      tail.write(
          rnd.nextInt(4) == 0
              ? WriteOp.newBuilder()
                  .setClientId("t")
                  .setRequestSeq(i)
                  .setDeleteObject(DeleteObject.newBuilder().setBucket("bkt").setKey("k" + k))
                  .build()
              : put("t", i, "k" + k, "tail-" + rnd.nextInt()));
    }

    Join j = join(tail, joiner);

    String ctx = "seed " + seed;
    long[] held = tail.held();
    assertThat(j.diff()).as(ctx).isTrue();
    assertAnnouncedIsWhatCame(j, ctx);
    assertThat(j.totals().getSourceRecords()).as(ctx).isEqualTo(held[0]);
    assertThat(j.totals().getSourceBytes()).as(ctx).isEqualTo(held[1]);
    assertThat(j.totals().getBytes()).as(ctx).isPositive().isLessThan(held[1] / 4);
    assertThat(joiner.held()).as(ctx).containsExactly(held);
  }

  @Test
  void identicalRejoinerIsAnnouncedNothing() {
    var tail = new Node("tail");
    var joiner = new Node("joiner");
    history(new SplittableRandom(11), 300, 2, tail, joiner);

    Join j = join(tail, joiner);

    assertThat(j.diff()).isTrue();
    assertThat(j.totals().getRecords()).isZero();
    assertThat(j.totals().getBytes()).isZero();
    assertThat(j.totals().getSourceRecords()).isEqualTo(tail.held()[0]);
    assertAnnouncedIsWhatCame(j, "identical");
  }

  @Test
  void emptyTailAnnouncesZeroTotals() {
    var tail = new Node("tail");
    var joiner = new Node("joiner");

    Join j = join(tail, joiner);

    assertThat(j.totals()).isEqualTo(SnapshotTotals.getDefaultInstance());
    assertAnnouncedIsWhatCame(j, "empty");
  }
}
