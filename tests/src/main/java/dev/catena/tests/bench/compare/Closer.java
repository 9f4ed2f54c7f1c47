package dev.catena.tests.bench.compare;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what a run started, in reverse order of registration, once: from the run's {@code finally}
 * or from a shutdown hook (SIGINT, SIGTERM), whichever comes first. A failure to close one resource
 * is printed and does not stop the others from being closed.
 */
final class Closer implements AutoCloseable {
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private boolean closed;

  /** Registers {@code r}; if already closed, closes it at once. Returns {@code r}. */
  <T extends AutoCloseable> T add(T r) {
    boolean closeNow;
    synchronized (this) {
      closeNow = closed;
      if (!closeNow) {
        resources.push(r);
      }
    }
    if (closeNow) {
      closeQuietly(r);
    }
    return r;
  }

  @Override
  public void close() {
    while (true) {
      AutoCloseable r;
      synchronized (this) {
        closed = true;
        r = resources.poll();
      }
      if (r == null) {
        return;
      }
      closeQuietly(r);
    }
  }

  private static void closeQuietly(AutoCloseable r) {
    try {
      r.close();
    } catch (Exception e) {
      System.err.println("catena bench: closing " + r + " failed: " + e);
    }
  }
}
