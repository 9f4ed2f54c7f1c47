package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.CorruptRecordException;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.proto.v1.SnapshotEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a snapshot stream on the joiner and turns it into install batches (DESIGN.md §4 "Add a
 * tail", "Rejoin"): the stream's records of replaced buckets, plus deletes of every key the
 * joiner's baseline holds in a replaced bucket that the stream does not carry. The stream and the
 * baseline are both in unsigned key order, so the deletes come from one merge of the two, in
 * bounded memory. A record identical to the baseline's is not written again.
 *
 * <p>The {@link Writer} applies a batch unless a forwarded write touched its keys (forwarded keys
 * win) and unless the join was superseded.
 */
final class SnapshotInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstaller.class);
  static final int BATCH_RECORDS = 512;
  static final long BATCH_BYTES = 8 << 20;

  /**
   * Batches written concurrently; the stream is read no further while this many are unfinished, so
   * an install holds at most about this many batches in memory however fast the stream is.
   */
  static final int BATCHES_IN_FLIGHT = 4;

  /** Writes install batches of one join; see {@link DurableReplicaStore}. */
  interface Writer {
    /**
     * Applies {@code puts} and deletes {@code deletes} (versioned {@code cut}) unless superseded.
     */
    CompletableFuture<Boolean> write(
        SyncSession s, long cut, List<SnapshotEntry> puts, List<byte[]> deletes);

    /** Ends the join at {@code cut} once every batch is written; false if superseded. */
    CompletableFuture<Boolean> finish(SyncSession s, long cut);
  }

  private final Writer writer;
  private final dev.catena.chain.storage.ObjectStore meta;

  SnapshotInstaller(dev.catena.chain.storage.ObjectStore meta, Writer writer) {
    this.meta = meta;
    this.writer = writer;
  }

  /** Installs the stream; blocks until durable. Returns false if the join was superseded. */
  boolean install(SyncSession s, Iterator<SnapshotEntry> entries, BiConsumer<Long, Long> progress) {
    SnapshotEntry first = next(s, entries);
    long cut = first.getCutSeq();
    ReplacedBuckets replaced =
        first.hasResync() ? ReplacedBuckets.fromHeader(first.getResync()) : ReplacedBuckets.all();
    if (first.hasResync()) {
      LOG.info(
          "chain {}: resync at cut {} replaces {} ({} records, {} bytes)",
          s.chainId,
          cut,
          replaced,
          first.getResync().getRecords(),
          first.getResync().getBytes());
    }
    var batch = new Batch(s, cut);
    byte[] previous = null;
    try (CloseableIterator<StoredEntry> scan =
        s.baseline(meta).snapshot().scan(new byte[0], null)) {
      var held = new Held(scan, replaced);
      for (SnapshotEntry e = first; !e.getLast(); e = next(s, entries)) {
        byte[] key = e.getKey().toByteArray();
        if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
          throw new CorruptRecordException("snapshot of chain " + s.chainId + " out of key order");
        }
        if (!replaced.replaces(key)) {
          throw new CorruptRecordException("snapshot record outside the replaced buckets");
        }
        previous = key;
        batch.records++;
        batch.bytes += key.length + e.getValue().size() + e.getChunkData().size();
        held.deleteBelow(key, batch);
        StoredEntry mine = held.take(key);
        if (e.getTombstone()) {
          batch.delete(key);
        } else if (mine == null
            || !e.getValue().equals(ByteString.copyFrom(mine.value().value()))) {
          batch.put(e);
        }
        if (batch.full()) {
          batch.flush();
          progress.accept(batch.records, batch.bytes);
        }
      }
      held.deleteBelow(null, batch);
    }
    batch.flush();
    // The join ends (its marker is removed) only once every batch is durable.
    boolean installed =
        batch.written.thenCompose(ok -> ok ? writer.finish(s, cut) : completed(false)).join();
    progress.accept(batch.records, batch.bytes);
    return installed;
  }

  /** Puts and deletes gathered for the next write; counts what the stream carried. */
  private final class Batch {
    private final SyncSession session;
    private final long cut;
    private final List<SnapshotEntry> puts = new ArrayList<>();
    private final List<byte[]> deletes = new ArrayList<>();
    private long putBytes;
    private final java.util.ArrayDeque<CompletableFuture<Boolean>> inFlight =
        new java.util.ArrayDeque<>();
    CompletableFuture<Boolean> written = completed(true);
    long records;
    long bytes;

    Batch(SyncSession session, long cut) {
      this.session = session;
      this.cut = cut;
    }

    void put(SnapshotEntry e) {
      puts.add(e);
      putBytes += e.getKey().size() + e.getValue().size() + e.getChunkData().size();
    }

    void delete(byte[] key) {
      deletes.add(key);
      if (deletes.size() >= BATCH_RECORDS) {
        flush();
      }
    }

    boolean full() {
      return puts.size() + deletes.size() >= BATCH_RECORDS || putBytes >= BATCH_BYTES;
    }

    void flush() {
      if (puts.isEmpty() && deletes.isEmpty()) {
        return;
      }
      CompletableFuture<Boolean> w =
          writer.write(session, cut, List.copyOf(puts), List.copyOf(deletes));
      written = written.thenCombine(w, (a, b) -> a && b);
      inFlight.add(w);
      inFlight.removeIf(CompletableFuture::isDone);
      while (inFlight.size() > BATCHES_IN_FLIGHT) {
        inFlight.poll().join(); // back-pressure: the stream waits for the disk
      }
      puts.clear();
      deletes.clear();
      putBytes = 0;
    }
  }

  private static CompletableFuture<Boolean> completed(boolean value) {
    return CompletableFuture.completedFuture(value);
  }

  private static SnapshotEntry next(SyncSession s, Iterator<SnapshotEntry> entries) {
    if (!entries.hasNext()) {
      throw new CorruptRecordException("snapshot stream of chain " + s.chainId + " truncated");
    }
    return entries.next();
  }

  /** The baseline's live records of replaced buckets, walked alongside the stream. */
  private static final class Held {
    private final CloseableIterator<StoredEntry> scan;
    private final ReplacedBuckets replaced;
    private StoredEntry head;

    Held(CloseableIterator<StoredEntry> scan, ReplacedBuckets replaced) {
      this.scan = scan;
      this.replaced = replaced;
      advance();
    }

    private void advance() {
      head = null;
      while (scan.hasNext()) {
        StoredEntry e = scan.next();
        if (!e.value().tombstone() && replaced.replaces(e.key())) {
          head = e;
          return;
        }
      }
    }

    /** Deletes every held key below {@code key} (all remaining if null). */
    void deleteBelow(byte[] key, Batch out) {
      while (head != null && (key == null || Arrays.compareUnsigned(head.key(), key) < 0)) {
        out.delete(head.key());
        advance();
      }
    }

    /** The held record of {@code key}, consumed, or null. */
    StoredEntry take(byte[] key) {
      if (head != null && Arrays.equals(head.key(), key)) {
        StoredEntry e = head;
        advance();
        return e;
      }
      return null;
    }
  }
}
