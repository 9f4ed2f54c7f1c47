package dev.catena.chain.transport;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An iterator that reads up to {@code depth} items ahead of its consumer on its own thread, so that
 * producing the next item (a snapshot record: metadata, chunk bytes read from disk and checked)
 * overlaps sending the current one. Items come in the source's order; an exception the source
 * throws is rethrown to the consumer at the same position.
 *
 * <p>{@link #close} stops the reader and waits for it to leave the source, so the source may be
 * closed right after. The reader is never interrupted: a read of a {@code FileChannel} that is
 * interrupted closes the channel for every other reader of the file.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {
  private static final Object END = new Object();

  private record Failure(RuntimeException error) {}

  private final BlockingQueue<Object> queue;
  private final Thread reader;
  private volatile boolean closed;
  private Object head;

  /**
   * Starts reading {@code source} on a new daemon thread named {@code name}.
   *
   * @param depth items held ahead of the consumer, at least 1
   */
  ReadAhead(Iterator<T> source, int depth, String name) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be positive");
    }
    this.queue = new ArrayBlockingQueue<>(depth);
    this.reader = new Thread(() -> read(source), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Iterator<T> source) {
    Object item;
    do {
      try {
        item = source.hasNext() ? source.next() : END;
      } catch (RuntimeException e) {
        item = new Failure(e);
      }
    } while (offer(item) && item != END && !(item instanceof Failure));
  }

  /** Queues {@code item}, waiting for room; false once closed. */
  private boolean offer(Object item) {
    try {
      while (!closed) {
        if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean hasNext() {
    if (head == null) {
      try {
        head = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading ahead", e);
      }
    }
    if (head instanceof Failure f) {
      throw f.error();
    }
    return head != END;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T out = (T) head;
    head = null;
    return out;
  }

  @Override
  public void close() {
    closed = true;
    queue.clear(); // a reader waiting for room sees `closed` within one poll
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
