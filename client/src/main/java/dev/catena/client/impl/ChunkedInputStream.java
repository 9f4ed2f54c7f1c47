package dev.catena.client.impl;

import dev.catena.client.CatenaException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Streams the segments of a large object in order, fetching at most {@code prefetch} segments ahead
 * of the one being read: memory stays ≤ (prefetch + 1) × chunk size whatever the object's size. A
 * segment that cannot be fetched or fails its check surfaces as an {@link IOException} whose cause
 * is the {@link CatenaException}. Not thread-safe (like any stream).
 */
final class ChunkedInputStream extends InputStream {
  private final List<ChunkPlanner.Segment> segments;
  private final Function<ChunkPlanner.Segment, CompletableFuture<byte[]>> fetch;
  private final int prefetch;
  private final ArrayDeque<CompletableFuture<byte[]>> ahead = new ArrayDeque<>();
  private int nextToFetch;
  private byte[] current = new byte[0];
  private int pos;
  private boolean closed;

  ChunkedInputStream(
      List<ChunkPlanner.Segment> segments,
      Function<ChunkPlanner.Segment, CompletableFuture<byte[]>> fetch,
      int prefetch) {
    this.segments = List.copyOf(segments);
    this.fetch = fetch;
    this.prefetch = prefetch;
    topUp(prefetch + 1);
  }

  private void topUp(int depth) {
    while (ahead.size() < depth && nextToFetch < segments.size()) {
      ahead.add(fetch.apply(segments.get(nextToFetch++)));
    }
  }

  /** Makes bytes available in {@code current}; false at the end. */
  private boolean fill() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    while (pos >= current.length) {
      CompletableFuture<byte[]> next = ahead.poll();
      if (next == null) {
        return false;
      }
      current = new byte[0]; // let the finished segment go before waiting for the next
      pos = 0;
      topUp(prefetch);
      try {
        current = next.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while fetching a chunk");
      } catch (ExecutionException | CancellationException e) {
        Throwable cause = ErrorMapper.unwrap(e);
        throw new IOException("chunk fetch failed: " + cause.getMessage(), cause);
      }
    }
    return true;
  }

  @Override
  public int read() throws IOException {
    if (!fill()) {
      return -1;
    }
    return current[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return closed ? 0 : current.length - pos;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ahead.forEach(f -> f.cancel(false));
      ahead.clear();
      current = new byte[0];
    }
  }
}
