package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.catena.chain.storage.ChainSnapshot;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotTotals;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.stream.LongStream;

/**
 * Turns a consistent storage snapshot of one chain into the {@link SnapshotEntry} stream a joining
 * successor installs: live records of the digested keyspace (see {@link BucketDigests}; never the
 * replication log or local markers, never tombstones — the joiner deletes what a replaced bucket
 * does not carry), chunk markers with their bytes, the cut on the first entry, and a final entry
 * with {@code last = true} so that a truncated stream is detected.
 *
 * <p>A first pass over the snapshot's metadata (no chunk is read; chunk sizes come from the chunk
 * index) counts what the stream will carry, announced as {@link SnapshotTotals} on the first entry
 * so that the joiner can report progress against a known total. Given the joiner's digests (a
 * rejoin), the same pass computes this node's digests at the cut and the stream then carries only
 * the buckets whose digests differ, announced by a {@link dev.catena.proto.v1.ResyncHeader} too.
 * Without them it carries every bucket and no resync header. Both passes run lazily on the thread
 * that consumes the stream.
 */
final class SnapshotCodec {
  private final ObjectStore meta;
  private final ChunkStore chunks;

  SnapshotCodec(ObjectStore meta, ChunkStore chunks) {
    this.meta = meta;
    this.chunks = chunks;
  }

  /**
   * Opens the stream of {@code chainId}.
   *
   * @param joiner the joiner's digests, or null to send every bucket
   */
  ReplicaStore.SnapshotSource open(int chainId, BucketDigests joiner) {
    ChainSnapshot snap = meta.snapshot(chainId);
    long cut = snap.progress().appliedSeq();
    var entries = new Entries(snap, cut, joiner);
    return new ReplicaStore.SnapshotSource() {
      @Override
      public long cut() {
        return cut;
      }

      @Override
      public Iterator<SnapshotEntry> entries() {
        return entries;
      }

      @Override
      public void close() {
        entries.close();
        snap.close();
      }
    };
  }

  private static boolean live(StoredEntry e) {
    return !e.value().tombstone() && BucketDigests.covers(e.key());
  }

  private long chunkLength(StoredEntry e) {
    if (e.key().length > 2 && e.key()[0] == 'c' && e.key()[1] == '/') {
      return chunks
          .length(new String(e.key(), 2, e.key().length - 2, StandardCharsets.UTF_8))
          .orElse(0);
    }
    return 0;
  }

  /** The stream; plans on first use, then reads the snapshot once more. */
  private final class Entries implements Iterator<SnapshotEntry> {
    private final ChainSnapshot snap;
    private final long cut;
    private final BucketDigests joiner;
    private CloseableIterator<StoredEntry> scan;
    private ReplacedBuckets replaced;
    private SnapshotEntry.Builder header;
    private boolean ended;
    private SnapshotEntry next;

    Entries(ChainSnapshot snap, long cut, BucketDigests joiner) {
      this.snap = snap;
      this.cut = cut;
      this.joiner = joiner;
    }

    /**
     * First pass, over metadata only: the stream's totals and, for a rejoin, this node's digests at
     * the cut compared with the joiner's.
     */
    private void plan() {
      header = SnapshotEntry.newBuilder().setCutSeq(cut);
      int n = joiner == null ? 1 : joiner.bucketCount();
      var mine = joiner == null ? null : new BucketDigests.Builder(n);
      long[] records = new long[n];
      long[] bytes = new long[n];
      try (CloseableIterator<StoredEntry> it = snap.scan(new byte[0], null)) {
        while (it.hasNext()) {
          StoredEntry e = it.next();
          if (live(e)) {
            int b = 0;
            if (mine != null) {
              mine.add(e.key(), e.value().value());
              b = BucketDigests.bucketOf(e.key(), n);
            }
            records[b]++;
            bytes[b] += e.key().length + e.value().value().length + chunkLength(e);
          }
        }
      }
      var totals =
          SnapshotTotals.newBuilder()
              .setSourceRecords(LongStream.of(records).sum())
              .setSourceBytes(LongStream.of(bytes).sum());
      if (mine == null) {
        replaced = ReplacedBuckets.all();
        totals.setRecords(totals.getSourceRecords()).setBytes(totals.getSourceBytes());
      } else {
        BitSet differ = mine.build().differing(joiner);
        long r = 0;
        long s = 0;
        for (int b = differ.nextSetBit(0); b >= 0; b = differ.nextSetBit(b + 1)) {
          r += records[b];
          s += bytes[b];
        }
        replaced = ReplacedBuckets.of(n, differ);
        header.setResync(replaced.toHeader(r, s));
        totals.setRecords(r).setBytes(s);
      }
      header.setTotals(totals);
      scan = snap.scan(new byte[0], null);
      next = advance();
    }

    private SnapshotEntry advance() {
      while (scan.hasNext()) {
        StoredEntry e = scan.next();
        if (!live(e) || !replaced.replaces(e.key())) {
          continue;
        }
        var b =
            SnapshotEntry.newBuilder()
                .setKey(ByteString.copyFrom(e.key()))
                .setValue(UnsafeByteOperations.unsafeWrap(e.value().value()))
                .setVersion(e.value().version());
        long len = chunkLength(e);
        if (len > 0) {
          String id = new String(e.key(), 2, e.key().length - 2, StandardCharsets.UTF_8);
          ByteBuffer data = chunks.read(id, 0, (int) len);
          // Freshly read and never reused: wrap it instead of copying the chunk again.
          b.setChunkData(UnsafeByteOperations.unsafeWrap(data));
        }
        return stamp(b);
      }
      if (ended) {
        return null;
      }
      ended = true;
      return stamp(SnapshotEntry.newBuilder().setLast(true));
    }

    private SnapshotEntry stamp(SnapshotEntry.Builder b) {
      if (header != null) {
        b.mergeFrom(header.build());
        header = null;
      }
      return b.build();
    }

    @Override
    public boolean hasNext() {
      if (replaced == null) {
        plan();
      }
      return next != null;
    }

    @Override
    public SnapshotEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      SnapshotEntry out = next;
      next = advance();
      return out;
    }

    void close() {
      if (scan != null) {
        scan.close();
      }
    }
  }
}
