package dev.catena.frangipani.wal;

import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A clerk's write-ahead log of metadata updates, stored in the shared store (Frangipani §4).
 *
 * <p>Contract: {@link #append} writes the whole record in one put and returns only when the store
 * committed it; the caller applies the updates (to its cache) only after that. A failed append
 * keeps its seq for the next one, so the log never has a gap (a record that may have landed is
 * overwritten). A record is trimmable once every one of its updates was written back at its version
 * or a later one; {@link #trim} first advances the checkpoint, then deletes the records it covers,
 * so a crash between the two leaves only garbage that recovery skips. The log is bounded: {@link
 * #full()} tells the clerk to write back and trim before appending more. Thread-safe.
 */
public final class MetadataLog {
  private final ObjectStore store;
  private final String clerk;
  private final int maxRecords;
  private final TreeMap<Long, List<Update>> pending = new TreeMap<>();
  private final Map<String, Long> durable = new HashMap<>();
  private long next;
  private long checkpoint;

  /** The log of a new clerk {@code clerk} (its log must be empty), holding ≤ maxRecords records. */
  public MetadataLog(ObjectStore store, String clerk, int maxRecords) {
    this.store = store;
    this.clerk = clerk;
    this.maxRecords = maxRecords;
    this.checkpoint = LogKeys.decodeCheckpoint(store.get(LogKeys.checkpoint(clerk)));
    this.next = checkpoint + 1;
  }

  /** Writes one record holding {@code updates}; returns its seq once committed. */
  public synchronized long append(List<Update> updates) {
    LogRecord r = new LogRecord(next, updates);
    store.put(LogKeys.record(clerk, r.seq()), r.encode(), Fence.NONE);
    pending.put(r.seq(), r.updates());
    return next++;
  }

  /** The object {@code key} is in the store at {@code version} (or later). */
  public synchronized void writtenBack(String key, long version) {
    durable.merge(key, version, Math::max);
  }

  /** Whether the log holds as many untrimmed records as it may. */
  public synchronized boolean full() {
    return pending.size() >= maxRecords;
  }

  /** Records appended and not yet trimmed. */
  public synchronized int size() {
    return pending.size();
  }

  /** Drops the prefix of records whose updates are all written back; returns how many. */
  public synchronized int trim() {
    long upTo = checkpoint;
    for (var e : pending.entrySet()) {
      boolean done =
          e.getValue().stream()
              .allMatch(u -> durable.getOrDefault(u.key(), MetaObject.ABSENT) >= u.version());
      if (!done) {
        break;
      }
      upTo = e.getKey();
    }
    if (upTo == checkpoint) {
      return 0;
    }
    store.put(LogKeys.checkpoint(clerk), LogKeys.encodeCheckpoint(upTo), Fence.NONE);
    int n = 0;
    for (long seq = checkpoint + 1; seq <= upTo; seq++) {
      store.delete(LogKeys.record(clerk, seq), Fence.NONE);
      pending.remove(seq);
      n++;
    }
    checkpoint = upTo;
    return n;
  }

  /** Deletes the whole log (clean shutdown, after everything was written back and trimmed). */
  public synchronized void deleteAll() {
    if (!pending.isEmpty()) {
      throw new IllegalStateException(pending.size() + " records not written back");
    }
    store.delete(LogKeys.checkpoint(clerk), Fence.NONE);
  }
}
