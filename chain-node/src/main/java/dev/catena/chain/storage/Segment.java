package dev.catena.chain.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One append-only segment file of a {@link SegmentChunkStore}, with reference counting for reader
 * safety: the store holds one reference while the segment is live; each read holds one while it
 * touches the file. {@link #retire()} drops the store's reference; the file is closed and deleted
 * (through the release hook) only when the last reader has released it. A reader that fails to
 * {@link #acquire()} a retired segment looks the chunk up again and finds its new location.
 */
final class Segment {
  final long number;
  final Path path;
  final FileLayer.Handle file;

  /** Append position (= valid length) of the file; only the writer thread advances it. */
  final AtomicLong size;

  /** Bytes of records that the index still points to. */
  final AtomicLong liveBytes = new AtomicLong();

  /** PUT records per chunk id in this file (live or not); decides when tombstones can go. */
  final Map<String, Integer> putCounts = new ConcurrentHashMap<>();

  private final AtomicInteger refs = new AtomicInteger(1);
  private final AtomicInteger retired = new AtomicInteger();
  private final Consumer<Segment> onFree;

  private Segment(
      long number, Path path, FileLayer.Handle file, long size, Consumer<Segment> onFree) {
    this.number = number;
    this.path = path;
    this.file = file;
    this.size = new AtomicLong(size);
    this.onFree = onFree;
  }

  static Segment open(long number, Path path, FileLayer files, Consumer<Segment> onFree)
      throws IOException {
    FileLayer.Handle f = files.open(path);
    return new Segment(number, path, f, f.size(), onFree);
  }

  static String fileName(long number) {
    return String.format("%012d.seg", number);
  }

  /** Takes a reader reference; false if the segment has already been freed. */
  boolean acquire() {
    for (int i = 0; i < 1_000_000; i++) {
      int r = refs.get();
      if (r <= 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
    throw new IllegalStateException("segment reference count under extreme contention");
  }

  void release() {
    if (refs.decrementAndGet() == 0) {
      onFree.accept(this);
    }
  }

  /** Drops the store's own reference (once); the file goes when the last reader is done. */
  void retire() {
    if (retired.compareAndSet(0, 1)) {
      release();
    }
  }

  /** Reads exactly {@code dst.remaining()} bytes at {@code pos}; false on premature end of file. */
  boolean readFully(ByteBuffer dst, long pos) throws IOException {
    long p = pos;
    while (dst.hasRemaining()) {
      int n = file.read(dst, p);
      if (n < 0) {
        return false;
      }
      p += n;
    }
    return true;
  }

  /** Writes all of {@code src} at {@code pos}. */
  void writeFully(ByteBuffer src, long pos) throws IOException {
    long p = pos;
    while (src.hasRemaining()) {
      p += file.write(src, p);
    }
  }

  double liveRatio() {
    long s = size.get();
    return s == 0 ? 0 : (double) liveBytes.get() / s;
  }

  void countPut(String chunkId) {
    putCounts.merge(chunkId, 1, Integer::sum);
  }
}
