package dev.catena.chain.storage;

import dev.catena.chain.storage.ChunkRecords.Header;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChunkStore} on Bitcask-style append-only segment files ({@code <number>.seg}, format in
 * {@link ChunkRecords}) with an in-memory index {@code chunkId → (segment, offset, length)}.
 *
 * <p><b>Open.</b> Every segment is scanned in number order ({@link SegmentScanner}); later records
 * override earlier ones. A segment ends at its first torn or damaged record (records are recognised
 * only where the previous one ends, so chunk data can never be replayed as a record). The
 * highest-numbered segment becomes active unless it ends in damage: then it is sealed as it is
 * (nothing is truncated) and appends go to a new segment. A later record of a chunk already in the
 * index has its blocks verified: if they are damaged (a copy or overwrite torn by a power loss,
 * never acknowledged) the older record stays current. Creating the store's directory fsyncs its
 * parent, and creating segment 1 fsyncs the directory, before any write is acknowledged.
 *
 * <p><b>Writes.</b> Records are encoded and checksummed on the caller's thread, then appended by
 * one writer thread ({@link GroupCommitter}): under GROUP it appends everything it drained, then
 * forces each segment it touched once (fdatasync); ALWAYS forces after every record; NONE never
 * forces. Rolling to a new segment also fsyncs the directory when the policy syncs. The index is
 * updated only after the batch is durable, then the futures complete in order.
 *
 * <p><b>Compaction and reader safety.</b> {@link SegmentCompactor} copies the live records of
 * segments whose live ratio is below the threshold into the active segment <em>through the writer
 * thread</em> (so a copy can never be appended after a newer write of the same chunk), forces the
 * copies and the directory, swaps the index entries, then retires the old segment. Readers take a
 * reference on the segment they read ({@link Segment#acquire()}); a retired segment's file is
 * closed and deleted only when its last reader releases it, and a reader that finds a segment
 * already freed looks the chunk up again (the index then points to the copy). Delete records are
 * copied forward while any other segment still holds a put record of the same chunk, so a deleted
 * chunk cannot reappear after reopen.
 */
public final class SegmentChunkStore implements ChunkStore {
  private static final Logger log = LoggerFactory.getLogger(SegmentChunkStore.class);

  /** Longest chunk id in UTF-8 bytes. */
  public static final int MAX_CHUNK_ID_BYTES = ChunkRecords.MAX_ID_BYTES;

  /** Default live ratio under which {@link #compact()} rewrites a segment. */
  public static final double DEFAULT_MIN_LIVE_RATIO = 0.5;

  /** Where a chunk's current record is. */
  record Location(Segment segment, long offset, int headerLength, long dataLength) {
    long recordLength() {
      return headerLength + ChunkRecords.sectionLength(dataLength);
    }

    long dataStart() {
      return offset + headerLength;
    }
  }

  private final Path dir;
  private final FsyncPolicy policy;
  private final long segmentBytes;
  private final double minLiveRatio;
  private final FileLayer files;
  private final Closeable lock;
  final Map<String, Location> index = new ConcurrentHashMap<>();
  final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();

  /** Put records per chunk id over all segment files not yet durably deleted. */
  final Map<String, Integer> putRecords = new ConcurrentHashMap<>();

  private volatile Segment active; // written by the writer thread only (and by open)
  private final GroupCommitter<ChunkOps.Op<?>> writer;
  private final SegmentCompactor compactor;
  private volatile boolean closed;
  private boolean rolledInBatch; // writer thread only
  private boolean directoryUnsynced; // writer thread only
  private final Set<Segment> unforced = new LinkedHashSet<>(); // writer thread only

  private SegmentChunkStore(
      Path dir, FsyncPolicy policy, long segmentBytes, double minLiveRatio, FileLayer files)
      throws IOException {
    this.dir = dir;
    this.policy = policy;
    this.segmentBytes = segmentBytes;
    this.minLiveRatio = minLiveRatio;
    this.files = files;
    this.lock = files.tryLock(dir.resolve("LOCK"));
    if (lock == null) {
      throw new StorageException("chunk store " + dir + " is already open");
    }
    try {
      load();
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
    int maxItems = policy == FsyncPolicy.ALWAYS ? 1 : 1024;
    this.writer =
        new GroupCommitter<>("catena-chunkstore-writer", this::write, maxItems, 64 << 20, 64 << 20);
    this.compactor = new SegmentCompactor(this);
  }

  /** Opens (creating if missing) a chunk store with the default compaction threshold. */
  public static SegmentChunkStore open(Path dir, FsyncPolicy policy, long segmentBytes) {
    return open(dir, policy, segmentBytes, DEFAULT_MIN_LIVE_RATIO);
  }

  /**
   * Opens (creating if missing) a chunk store. A segment is rolled when the next record would make
   * it larger than {@code segmentBytes} (a single larger record gets a segment of its own).
   * Compaction rewrites segments whose live ratio is below {@code minLiveRatio}.
   */
  public static SegmentChunkStore open(
      Path dir, FsyncPolicy policy, long segmentBytes, double minLiveRatio) {
    return open(dir, policy, segmentBytes, minLiveRatio, ChannelFileLayer.INSTANCE);
  }

  /** {@link #open(Path, FsyncPolicy, long, double)} over the given file layer (tests). */
  static SegmentChunkStore open(
      Path dir, FsyncPolicy policy, long segmentBytes, double minLiveRatio, FileLayer files) {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be >= 4096");
    }
    try {
      for (Path created : files.createDirectories(dir)) {
        files.syncDirectory(created.getParent()); // else a power loss can take the whole store
      }
      return new SegmentChunkStore(dir, policy, segmentBytes, minLiveRatio, files);
    } catch (IOException e) {
      throw new StorageException("cannot open chunk store in " + dir, e);
    }
  }

  private void load() throws IOException {
    SegmentScanner.Result lastScan = null;
    List<Path> segmentFiles =
        files.list(dir).stream()
            .filter(p -> p.getFileName().toString().endsWith(".seg"))
            .sorted()
            .toList();
    for (Path p : segmentFiles) {
      String name = p.getFileName().toString();
      long number = Long.parseLong(name.substring(0, name.length() - 4));
      Segment seg = Segment.open(number, p, files, this::freed);
      segments.put(number, seg);
      lastScan = SegmentScanner.scan(seg, h -> replay(seg, h));
      if (lastScan.damaged()) {
        log.warn(
            "segment {}: {} bytes after offset {} are not a complete record; the segment ends there",
            seg.path,
            lastScan.fileSize() - lastScan.validEnd(),
            lastScan.validEnd());
      }
    }
    if (segments.isEmpty()) {
      // The first write is acknowledged after forcing this file: its name must be durable first.
      active = createSegment(1);
      fsyncDirectory();
    } else if (lastScan.damaged()) {
      // Never append after bytes that are not a record: the next record would not be found.
      active = createSegment(segments.lastKey() + 1);
      fsyncDirectory();
    } else {
      active = segments.lastEntry().getValue();
    }
  }

  private void replay(Segment seg, Header h) throws IOException {
    if (h.type() == ChunkRecords.PUT) {
      Location loc = new Location(seg, h.offset(), h.headerLength(), h.dataLength());
      if (index.containsKey(h.chunkId()) && !intact(h.chunkId(), loc)) {
        // A later record of a stored chunk whose data does not verify: a compaction copy or an
        // overwrite that a power loss tore (it was never acknowledged: the force that would have
        // acknowledged it makes it whole). The older record stays current; this one still counts
        // as a put record, so a later delete of the chunk keeps its tombstone while it exists.
        log.warn(
            "segment {}: record of chunk '{}' at offset {} is damaged; the older one stays",
            seg.path,
            h.chunkId(),
            h.offset());
        countPutRecord(seg, h.chunkId());
        return;
      }
      publishPut(h.chunkId(), loc);
    } else {
      publishDelete(h.chunkId());
    }
  }

  private static boolean intact(String chunkId, Location loc) throws IOException {
    try {
      ChunkReads.readVerifiedRecord(chunkId, loc);
      return true;
    } catch (ChecksumMismatchException | CorruptRecordException e) {
      return false;
    }
  }

  private Segment createSegment(long number) throws IOException {
    Segment seg = Segment.open(number, dir.resolve(Segment.fileName(number)), files, this::freed);
    segments.put(number, seg);
    return seg;
  }

  // ---- public API ----

  @Override
  public CompletableFuture<Void> write(String chunkId, ByteBuffer data) {
    byte[] id = ChunkRecords.idBytes(chunkId);
    ByteBuffer record = ChunkRecords.encodePut(id, data);
    return writer.submit(new ChunkOps.Write(chunkId, record, data.remaining()));
  }

  @Override
  public ByteBuffer read(String chunkId, long offset, int length) {
    ChunkRecords.idBytes(chunkId);
    checkOpen();
    for (int attempt = 0; attempt < 100; attempt++) {
      Location loc = index.get(chunkId);
      if (loc == null) {
        throw new NoSuchChunkException(chunkId);
      }
      if (offset < 0 || length < 0 || offset + length > loc.dataLength()) {
        throw new InvalidRangeException(chunkId, offset, length, loc.dataLength());
      }
      if (!loc.segment().acquire()) {
        continue; // retired by compaction after our lookup: the index now has the new location
      }
      try {
        return ChunkReads.read(chunkId, loc, offset, length);
      } catch (IOException e) {
        throw new StorageException("reading chunk '" + chunkId + "' failed", e);
      } finally {
        loc.segment().release();
      }
    }
    throw new StorageException("chunk '" + chunkId + "' kept moving during read");
  }

  @Override
  public OptionalLong length(String chunkId) {
    Location loc = index.get(chunkId);
    return loc == null ? OptionalLong.empty() : OptionalLong.of(loc.dataLength());
  }

  @Override
  public boolean delete(String chunkId) {
    return join(deleteAsync(chunkId));
  }

  /** Asynchronous {@link #delete}: the future yields whether the chunk was stored. */
  @Override
  public CompletableFuture<Boolean> deleteAsync(String chunkId) {
    byte[] id = ChunkRecords.idBytes(chunkId);
    return writer.submit(new ChunkOps.Delete(chunkId, ChunkRecords.encodeDelete(id)));
  }

  @Override
  public CompactionStats compact() {
    checkOpen();
    return compactor.compact(minLiveRatio);
  }

  @Override
  public Set<String> chunkIds() {
    return Set.copyOf(index.keySet());
  }

  /** From now on tells {@code observer} of every batch the writer thread commits (metrics). */
  public void observeCommits(CommitObserver observer) {
    writer.observeCommits(observer);
  }

  /** Write batches committed so far (each is one fsync under GROUP) and the writes in them. */
  public WriterStats writerStats() {
    return writer.stats();
  }

  /** Numbers of the segment files currently in use, ascending (for tests and tools). */
  public List<Long> segmentNumbers() {
    return List.copyOf(segments.keySet());
  }

  /** Total bytes of the segment files in use. */
  public long diskBytes() {
    return segments.values().stream().mapToLong(s -> s.size.get()).sum();
  }

  /** Bytes of segment files that no live record uses (what compaction can give back). */
  public long deadBytes() {
    return segments.values().stream().mapToLong(s -> s.size.get() - s.liveBytes.get()).sum();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    writer.close();
    closed = true;
    try {
      for (Segment s : segments.values()) {
        s.file.close();
      }
      lock.close();
    } catch (IOException e) {
      throw new StorageException("closing chunk store failed", e);
    }
  }

  /** Releases what a failed open holds. */
  private void closeQuietly() {
    for (Segment s : segments.values()) {
      try {
        s.file.close();
      } catch (IOException e) {
        log.warn("closing {} failed", s.path, e);
      }
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("releasing the lock of {} failed", dir, e);
    }
  }

  // ---- used by SegmentCompactor ----

  Segment activeSegment() {
    return active;
  }

  <R> R join(CompletableFuture<R> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StorageException se) {
        throw se;
      }
      throw new StorageException("chunk store operation failed", e.getCause());
    }
  }

  <R> CompletableFuture<R> submit(ChunkOps.Op<R> op) {
    return writer.submit(op);
  }

  // ---- writer thread ----

  private void write(List<ChunkOps.Op<?>> batch) throws IOException {
    Set<Segment> dirty = new LinkedHashSet<>();
    Set<String> touched = new HashSet<>();
    List<Runnable> publish = new ArrayList<>();
    boolean forceAll = false;
    rolledInBatch = false;
    for (ChunkOps.Op<?> op : batch) {
      if (op instanceof ChunkOps.Write w) {
        Location loc = append(w.record, w.dataLength, dirty);
        touched.add(w.chunkId);
        publish.add(() -> publishPut(w.chunkId, loc));
      } else if (op instanceof ChunkOps.Delete d) {
        append(d.record, 0, dirty);
        touched.add(d.chunkId);
        publish.add(() -> d.result = publishDelete(d.chunkId));
      } else if (op instanceof ChunkOps.Relocate r) {
        if (touched.contains(r.chunkId) || index.get(r.chunkId) != r.from) {
          r.result = ChunkOps.Relocate.SKIPPED;
          continue;
        }
        ByteBuffer copy;
        try {
          copy = ChunkReads.readVerifiedRecord(r.chunkId, r.from);
        } catch (ChecksumMismatchException | CorruptRecordException e) {
          log.warn("compaction: cannot copy chunk '{}': {}", r.chunkId, e.getMessage());
          r.result = ChunkOps.Relocate.CORRUPT;
          continue;
        }
        Location loc = append(copy, r.from.dataLength(), dirty);
        touched.add(r.chunkId);
        publish.add(
            () -> {
              publishPut(r.chunkId, loc);
              r.result = ChunkOps.Relocate.MOVED;
            });
      } else if (op instanceof ChunkOps.CarryTombstone t) {
        boolean live = touched.contains(t.chunkId) || index.containsKey(t.chunkId);
        if (!live) {
          append(t.record, 0, dirty);
        }
        t.result = !live;
      } else if (op instanceof ChunkOps.Sync) {
        forceAll = true;
      }
    }
    unforced.addAll(dirty);
    directoryUnsynced |= rolledInBatch;
    if (policy.syncs() || forceAll) {
      for (Segment s : unforced) {
        s.file.force();
      }
      unforced.clear();
      if (directoryUnsynced) {
        fsyncDirectory();
        directoryUnsynced = false;
      }
    }
    publish.forEach(Runnable::run);
  }

  private Location append(ByteBuffer record, long dataLength, Set<Segment> dirty)
      throws IOException {
    int len = record.remaining();
    Segment s = active;
    if (s.size.get() > 0 && s.size.get() + len > segmentBytes) {
      s = createSegment(s.number + 1);
      active = s;
      rolledInBatch = true;
    }
    long off = s.size.get();
    s.writeFully(record.duplicate(), off);
    s.size.addAndGet(len);
    dirty.add(s);
    int headerLength = len - (int) ChunkRecords.sectionLength(dataLength);
    return new Location(s, off, headerLength, dataLength);
  }

  // ---- index maintenance (writer thread, or open) ----

  private void publishPut(String chunkId, Location loc) {
    Location old = index.put(chunkId, loc);
    if (old != null) {
      old.segment().liveBytes.addAndGet(-old.recordLength());
    }
    loc.segment().liveBytes.addAndGet(loc.recordLength());
    countPutRecord(loc.segment(), chunkId);
  }

  private void countPutRecord(Segment seg, String chunkId) {
    seg.countPut(chunkId);
    putRecords.merge(chunkId, 1, Integer::sum);
  }

  private boolean publishDelete(String chunkId) {
    Location old = index.remove(chunkId);
    if (old != null) {
      old.segment().liveBytes.addAndGet(-old.recordLength());
    }
    return old != null;
  }

  /** Called once the last reference to a retired segment is gone: deletes its file. */
  private void freed(Segment seg) {
    try {
      seg.file.close();
      files.delete(seg.path);
      fsyncDirectory();
    } catch (IOException e) {
      // Keep counting its put records: its tombstones then stay, which is the safe side.
      log.warn("could not delete retired segment {}", seg.path, e);
      return;
    }
    seg.putCounts.forEach(
        (id, n) -> putRecords.computeIfPresent(id, (k, v) -> v - n <= 0 ? null : v - n));
  }

  void fsyncDirectory() throws IOException {
    files.syncDirectory(dir);
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageClosedException("chunk store is closed");
    }
  }
}
