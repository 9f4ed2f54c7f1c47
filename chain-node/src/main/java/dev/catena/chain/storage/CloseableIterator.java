package dev.catena.chain.storage;

import java.util.Iterator;

/**
 * An iterator over a consistent point-in-time view that holds storage resources until closed. Use
 * in try-with-resources; not thread-safe.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
  @Override
  void close();
}
