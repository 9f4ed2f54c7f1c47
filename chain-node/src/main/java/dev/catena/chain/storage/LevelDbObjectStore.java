package dev.catena.chain.storage;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.DbImpl;
import org.iq80.leveldb.impl.Iq80DBFactory;
import org.iq80.leveldb.impl.LogWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectStore} on the iq80 LevelDB port. Key and value layout: see {@link ObjectKeys}.
 *
 * <p><b>Writes.</b> One writer thread ({@link GroupCommitter}) owns all writes. Every mutation is
 * encoded on the caller's thread (so the caller may reuse its arrays), queued, and applied by the
 * writer. Under {@link FsyncPolicy#GROUP} the writer merges every mutation it drained into a
 * <em>single</em> LevelDB {@code WriteBatch} and writes it with {@code sync=true}: iq80 0.12
 * appends that batch as one log record and calls {@code FileChannel.force} once after it ({@code
 * FileChannelLogWriter.addRecord(record, force)}), so a group costs exactly one fsync and stays
 * atomic. Under {@link FsyncPolicy#ALWAYS} each mutation is its own sync write; under {@link
 * FsyncPolicy#NONE} writes use {@code sync=false} (written to the OS). Progress records are put in
 * the same batch as the data, so they are atomic with it. Progress updates with one field {@code 0}
 * read the current value; the writer keeps an overlay of progress values written earlier in the
 * same batch and puts each chain's progress record once per LevelDB batch (the batch is atomic, so
 * its last value is what every mutation in it leaves), not once per mutation.
 *
 * <p><b>Log writer.</b> On 64-bit JVMs iq80 defaults to a memory-mapped log whose sync only forces
 * the current 1 MiB mapping; a record crossing a mapping boundary would be only partly forced. This
 * class therefore sets {@code leveldb.mmap=false} (unless the property is already set) before
 * LevelDB's factory is loaded, selecting the {@code FileChannel} log writer, and logs a warning if
 * the memory-mapped writer is in use anyway.
 *
 * <p><b>Directory fsyncs.</b> iq80 0.12 never fsyncs the database directory: not after creating a
 * log file, a table or a MANIFEST, nor after renaming CURRENT (its file layer is {@code
 * java.io.File} and {@code FileOutputStream}, which Catena cannot intercept). So this store fsyncs
 * the directory itself where an acknowledgement depends on a new name: after open returns (the new
 * MANIFEST, CURRENT, the new log and the tables recovered from old logs) and, under ALWAYS/GROUP,
 * after any write batch that made iq80 switch to a new log file (detected by reading {@code
 * DbImpl}'s current log number), before the batch's futures complete. What stays open is documented
 * in the chain-node README (crash model).
 *
 * <p><b>Reads</b> go straight to LevelDB from any thread; scans and snapshots read from a LevelDB
 * snapshot. After an I/O failure the store fails every later write (see {@link GroupCommitter}).
 */
public final class LevelDbObjectStore implements ObjectStore {
  private static final Logger log = LoggerFactory.getLogger(LevelDbObjectStore.class);
  private static final int DROP_BATCH = 10_000;

  /** Memtable size: larger than LevelDB's 4 MiB default so level-0 flushes disturb fsyncs less. */
  private static final int WRITE_BUFFER_BYTES = 32 << 20;

  private static final long CACHE_BYTES = 64L << 20;

  static {
    if (System.getProperty("leveldb.mmap") == null) {
      System.setProperty("leveldb.mmap", "false");
    }
  }

  /** iq80 0.12's {@code DbImpl.log} (the current log writer), or null if not found. */
  private static final Field LOG_WRITER = logWriterField();

  private final DB db;
  private final Path dir;
  private final FileLayer files;
  private final FsyncPolicy policy;
  private long syncedLogNumber; // writer thread only (and open)
  private final GroupCommitter<Op> writer;
  private volatile boolean closed;

  private LevelDbObjectStore(DB db, Path dir, FileLayer files, FsyncPolicy policy) {
    this.db = db;
    this.dir = dir;
    this.files = files;
    this.policy = policy;
    this.syncedLogNumber = currentLogNumber();
    int maxItems = policy == FsyncPolicy.ALWAYS ? 1 : 4096;
    this.writer =
        new GroupCommitter<>("catena-objectstore-writer", this::write, maxItems, 8 << 20, 32 << 20);
  }

  /** Opens (creating if missing) the store in {@code dir}. */
  public static LevelDbObjectStore open(Path dir, FsyncPolicy policy) throws StorageException {
    return open(dir, policy, ChannelFileLayer.INSTANCE, WRITE_BUFFER_BYTES);
  }

  /**
   * {@link #open(Path, FsyncPolicy)} with the directory syncs going through {@code files} and the
   * given memtable size (tests: a small memtable switches logs often).
   */
  static LevelDbObjectStore open(
      Path dir, FsyncPolicy policy, FileLayer files, int writeBufferBytes) {
    if (Iq80DBFactory.USE_MMAP) {
      log.warn("iq80 LevelDB uses its memory-mapped log writer: sync covers only the last 1 MiB");
    }
    if (LOG_WRITER == null) {
      log.warn("iq80 log writer not found: the directory is fsynced after every synced batch");
    }
    DB db = null;
    try {
      List<Path> created = files.createDirectories(dir);
      Options options =
          new Options()
              .createIfMissing(true)
              // iq80 switches to Snappy whenever snappy-java is on the class path (ZooKeeper's
              // server brings it), and fails at its first compaction with snappy-java 1.1.10.
              .compressionType(CompressionType.NONE)
              .writeBufferSize(writeBufferBytes)
              .cacheSize(CACHE_BYTES);
      db = Iq80DBFactory.factory.open(dir.toFile(), options);
      // iq80 created a log, a MANIFEST and maybe tables and renamed CURRENT without a directory
      // fsync; nothing is acknowledged before these names are durable.
      files.syncDirectory(dir);
      for (Path d : created) {
        files.syncDirectory(d.getParent());
      }
      return new LevelDbObjectStore(db, dir, files, policy);
    } catch (IOException | DBException e) {
      if (db != null) {
        try {
          db.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new StorageException("cannot open object store in " + dir, e);
    }
  }

  private static Field logWriterField() {
    try {
      Field f = DbImpl.class.getDeclaredField("log");
      if (!LogWriter.class.isAssignableFrom(f.getType())) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException | RuntimeException e) {
      return null;
    }
  }

  /** Number of the log iq80 currently appends to; -1 if it cannot be read. */
  private long currentLogNumber() {
    if (LOG_WRITER == null || !(db instanceof DbImpl)) {
      return -1;
    }
    try {
      return ((LogWriter) LOG_WRITER.get(db)).getFileNumber();
    } catch (IllegalAccessException e) {
      return -1;
    }
  }

  /** From now on tells {@code observer} of every batch the writer thread commits (metrics). */
  public void observeCommits(CommitObserver observer) {
    writer.observeCommits(observer);
  }

  /** Write batches committed so far (each is one fsync under GROUP) and the writes in them. */
  public WriterStats writerStats() {
    return writer.stats();
  }

  /** The fsync policy this store was opened with. */
  public FsyncPolicy policy() {
    return policy;
  }

  @Override
  public CompletableFuture<Void> apply(ChainMutation m) {
    return writer.submit(new MutationOp(m));
  }

  @Override
  public Optional<VersionedValue> get(int chainId, byte[] key) {
    return getAt(chainId, key, null);
  }

  private Optional<VersionedValue> getAt(int chainId, byte[] key, Snapshot s) {
    byte[] v = dbGet(ObjectKeys.dataKey(chainId, key), s);
    return v == null ? Optional.empty() : Optional.of(ObjectKeys.decodeValue(v));
  }

  @Override
  public CloseableIterator<StoredEntry> scan(int chainId, byte[] from, byte[] toOrNull) {
    checkOpen();
    Snapshot s = db.getSnapshot();
    return new EntryIterator(chainId, from, toOrNull, s, true);
  }

  @Override
  public PinnedMetadata pin() {
    checkOpen();
    Snapshot s = db.getSnapshot();
    return new PinnedMetadata() {
      @Override
      public Optional<VersionedValue> get(int chainId, byte[] key) {
        return getAt(chainId, key, s);
      }

      @Override
      public CloseableIterator<StoredEntry> scan(int chainId, byte[] from, byte[] toOrNull) {
        checkOpen();
        return new EntryIterator(chainId, from, toOrNull, s, false);
      }

      @Override
      public void close() {
        closeQuietly(s);
      }
    };
  }

  /**
   * Re-reads up to {@code limit} data records of a chain, from {@code fromInclusive} on in key
   * order, for the metadata scrubber: each with its value decoded, or why its stored form does not
   * decode. Records carry no checksum of their own and iq80 0.12 does not verify its table blocks'
   * CRCs, so a record is checked by decoding it (callers check what the value encodes). Reads a
   * consistent snapshot per call; a page never holds a snapshot beyond the call.
   */
  public List<RecordCheck> checkRecords(int chainId, byte[] fromInclusive, int limit) {
    checkOpen();
    byte[] end = ObjectKeys.key(chainId, (byte) (ObjectKeys.DATA + 1), new byte[0]);
    List<RecordCheck> out = new ArrayList<>();
    try (Snapshot s = db.getSnapshot();
        DBIterator it = db.iterator(new ReadOptions().snapshot(s))) {
      it.seek(ObjectKeys.dataKey(chainId, fromInclusive));
      while (out.size() < limit && it.hasNext()) {
        Map.Entry<byte[], byte[]> e = it.next();
        if (Arrays.compareUnsigned(e.getKey(), end) >= 0) {
          break;
        }
        byte[] key = ObjectKeys.suffix(e.getKey());
        int stored = e.getKey().length + e.getValue().length;
        try {
          out.add(RecordCheck.decoded(key, stored, ObjectKeys.decodeValue(e.getValue())));
        } catch (CorruptRecordException x) {
          out.add(RecordCheck.damaged(key, stored, x.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new StorageException("closing a scrub iterator failed", e);
    }
    return out;
  }

  @Override
  public ChainSnapshot snapshot(int chainId) {
    checkOpen();
    Snapshot s = db.getSnapshot();
    byte[] p = dbGet(ObjectKeys.progressKey(chainId), s);
    ChainProgress progress = p == null ? ChainProgress.NONE : ObjectKeys.decodeProgress(p);
    return new ChainSnapshot() {
      @Override
      public ChainProgress progress() {
        return progress;
      }

      @Override
      public CloseableIterator<StoredEntry> scan(byte[] from, byte[] toOrNull) {
        return new EntryIterator(chainId, from, toOrNull, s, false);
      }

      @Override
      public void close() {
        closeQuietly(s);
      }
    };
  }

  @Override
  public ChainProgress progress(int chainId) {
    byte[] v = dbGet(ObjectKeys.progressKey(chainId), null);
    return v == null ? ChainProgress.NONE : ObjectKeys.decodeProgress(v);
  }

  @Override
  public Set<Integer> chains() {
    checkOpen();
    Set<Integer> chains = new LinkedHashSet<>();
    try (DBIterator it = db.iterator()) {
      it.seekToFirst();
      while (it.hasNext()) {
        byte[] k = it.peekNext().getKey();
        if (!ObjectKeys.isChainKey(k)) {
          it.next();
          continue;
        }
        int c = ObjectKeys.chainOf(k);
        chains.add(c);
        if (c == -1) {
          break; // 0xFFFFFFFF is the last prefix in unsigned order
        }
        it.seek(ObjectKeys.chainStart(c + 1));
      }
    } catch (IOException e) {
      throw new StorageException("closing iterator failed", e);
    }
    return chains;
  }

  @Override
  public void dropChain(int chainId) {
    CompletableFuture<Void> f = writer.submit(new DropOp(chainId));
    try {
      f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StorageException se) {
        throw se;
      }
      throw new StorageException("dropping chain " + chainId + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    writer.close();
    closed = true;
    try {
      db.close();
    } catch (IOException e) {
      throw new StorageException("closing LevelDB failed", e);
    }
  }

  // ---- writer thread ----

  private void write(List<Op> batch) throws IOException {
    // Progress of each chain as the batch leaves it; written once per chain and LevelDB batch (the
    // batch is atomic, so its last value is what every mutation in it would have left).
    Map<Integer, ChainProgress> overlay = new HashMap<>();
    Map<Integer, ChainProgress> progressed = new java.util.TreeMap<>();
    WriteBatch wb = db.createWriteBatch();
    int items = 0;
    boolean unsynced = false;
    for (Op op : batch) {
      if (op instanceof MutationOp m) {
        items += m.addTo(wb, overlay, progressed, this::readProgress);
      } else if (op instanceof DropOp d) {
        items += putProgress(wb, progressed);
        if (items > 0) {
          db.write(wb, new WriteOptions().sync(false));
          wb = db.createWriteBatch();
          items = 0;
        }
        drop(d.chainId);
        overlay.remove(d.chainId);
        unsynced = true;
      }
    }
    items += putProgress(wb, progressed);
    if (items == 0 && unsynced && policy.syncs()) {
      wb.delete(ObjectKeys.SYNC_MARKER); // an empty batch is not logged, so it would not sync
      items = 1;
    }
    if (items > 0) {
      db.write(wb, new WriteOptions().sync(policy.syncs()));
    }
    if (policy.syncs()) {
      // The batch may have made iq80 switch logs (memtable full): the new log's name must be
      // durable before anything in it is acknowledged.
      long logNumber = currentLogNumber();
      if (logNumber != syncedLogNumber || logNumber < 0) {
        files.syncDirectory(dir);
        syncedLogNumber = logNumber;
      }
    }
  }

  /** Adds the progress records of {@code progressed} to {@code wb} and clears it; their count. */
  private static int putProgress(WriteBatch wb, Map<Integer, ChainProgress> progressed) {
    progressed.forEach(
        (chainId, p) -> wb.put(ObjectKeys.progressKey(chainId), ObjectKeys.encodeProgress(p)));
    int n = progressed.size();
    progressed.clear();
    return n;
  }

  private ChainProgress readProgress(int chainId) {
    byte[] v = db.get(ObjectKeys.progressKey(chainId));
    return v == null ? ChainProgress.NONE : ObjectKeys.decodeProgress(v);
  }

  private void drop(int chainId) throws IOException {
    WriteBatch first = db.createWriteBatch();
    first.delete(ObjectKeys.progressKey(chainId));
    db.write(first, new WriteOptions().sync(false));
    List<byte[]> keys = new ArrayList<>();
    try (DBIterator it = db.iterator()) {
      it.seek(ObjectKeys.chainStart(chainId));
      while (it.hasNext()) {
        byte[] k = it.next().getKey();
        if (!ObjectKeys.isChainKey(k) || ObjectKeys.chainOf(k) != chainId) {
          break;
        }
        keys.add(k);
        if (keys.size() == DROP_BATCH) {
          deleteAll(keys);
        }
      }
    }
    deleteAll(keys);
  }

  private void deleteAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return;
    }
    WriteBatch wb = db.createWriteBatch();
    keys.forEach(wb::delete);
    db.write(wb, new WriteOptions().sync(false));
    keys.clear();
  }

  // ---- reads ----

  private byte[] dbGet(byte[] key, Snapshot s) {
    checkOpen();
    ReadOptions ro = new ReadOptions();
    if (s != null) {
      ro.snapshot(s);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return db.get(key, ro);
      } catch (DBException e) {
        throw new StorageException("LevelDB read failed", e);
      } catch (RuntimeException e) {
        // iq80 0.12 race (upstream issue dain/leveldb#78): a get can pick a table file that a
        // concurrent compaction has just deleted. The next attempt reads the current version.
        if (!isVanishedTable(e) || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private static boolean isVanishedTable(RuntimeException e) {
    return e.getMessage() != null
        && e.getMessage().startsWith("Could not open table")
        && e.getCause() instanceof java.io.FileNotFoundException;
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageClosedException("object store is closed");
    }
  }

  private static void closeQuietly(Snapshot s) {
    try {
      s.close();
    } catch (IOException e) {
      log.warn("releasing a LevelDB snapshot failed", e);
    }
  }

  /** Iterates the DATA records of one chain in [from, to) from a LevelDB snapshot. */
  private final class EntryIterator implements CloseableIterator<StoredEntry> {
    private final DBIterator it;
    private final byte[] end;
    private final Snapshot snapshot;
    private final boolean ownsSnapshot;
    private StoredEntry next;
    private boolean done;

    EntryIterator(int chainId, byte[] from, byte[] toOrNull, Snapshot s, boolean ownsSnapshot) {
      this.snapshot = s;
      this.ownsSnapshot = ownsSnapshot;
      this.it = db.iterator(new ReadOptions().snapshot(s));
      this.end =
          toOrNull == null
              ? ObjectKeys.key(chainId, (byte) (ObjectKeys.DATA + 1), new byte[0])
              : ObjectKeys.dataKey(chainId, toOrNull);
      it.seek(ObjectKeys.dataKey(chainId, from));
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done || !it.hasNext()) {
        done = true;
        return false;
      }
      Map.Entry<byte[], byte[]> e = it.next();
      if (Arrays.compareUnsigned(e.getKey(), end) >= 0) {
        done = true;
        return false;
      }
      next = new StoredEntry(ObjectKeys.suffix(e.getKey()), ObjectKeys.decodeValue(e.getValue()));
      return true;
    }

    @Override
    public StoredEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      StoredEntry e = next;
      next = null;
      return e;
    }

    @Override
    public void close() {
      try {
        it.close();
      } catch (IOException e) {
        throw new StorageException("closing iterator failed", e);
      } finally {
        if (ownsSnapshot) {
          closeQuietly(snapshot);
        }
      }
    }
  }

  // ---- queued operations ----

  private abstract static class Op extends GroupCommitter.Pending<Void> {}

  /** Removes a chain; executed by the writer so it is ordered with mutations. */
  private static final class DropOp extends Op {
    final int chainId;

    DropOp(int chainId) {
      this.chainId = chainId;
    }

    @Override
    long weight() {
      return 64;
    }
  }

  /** A mutation encoded into LevelDB keys and values on the submitting thread. */
  private static final class MutationOp extends Op {
    final int chainId;
    final long applied;
    final long committed;
    final byte[][] keys;
    final byte[][] values;
    final long weight;

    MutationOp(ChainMutation m) {
      chainId = m.chainId();
      applied = m.appliedSeq();
      committed = m.committedSeq();
      int n = m.puts().size() + m.deletes().size();
      keys = new byte[n][];
      values = new byte[n][];
      int i = 0;
      long w = 64;
      for (ChainMutation.Put p : m.puts()) {
        keys[i] = ObjectKeys.dataKey(chainId, p.key());
        values[i] = ObjectKeys.encodeValue(p.value(), p.version(), false);
        w += keys[i].length + values[i].length;
        i++;
      }
      for (ChainMutation.Delete d : m.deletes()) {
        keys[i] = ObjectKeys.dataKey(chainId, d.key());
        values[i] = d.tombstone() ? ObjectKeys.encodeValue(new byte[0], d.version(), true) : null;
        w += keys[i].length + (values[i] == null ? 0 : values[i].length);
        i++;
      }
      weight = w;
    }

    /**
     * Adds this mutation's records to {@code wb} and its progress to {@code progressed} (written
     * once per chain by the caller); returns the number of records added.
     */
    int addTo(
        WriteBatch wb,
        Map<Integer, ChainProgress> overlay,
        Map<Integer, ChainProgress> progressed,
        java.util.function.IntFunction<ChainProgress> current) {
      for (int i = 0; i < keys.length; i++) {
        if (values[i] == null) {
          wb.delete(keys[i]); // a purge: no tombstone
        } else {
          wb.put(keys[i], values[i]);
        }
      }
      int n = keys.length;
      if (applied != 0 || committed != 0) {
        ChainProgress base = overlay.computeIfAbsent(chainId, current::apply);
        ChainProgress p =
            new ChainProgress(
                applied != 0 ? applied : base.appliedSeq(),
                committed != 0 ? committed : base.committedSeq());
        overlay.put(chainId, p);
        progressed.put(chainId, p);
      }
      return n;
    }

    @Override
    long weight() {
      return weight;
    }
  }
}
