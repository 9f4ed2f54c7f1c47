package dev.catena.frangipani.fs;

import dev.catena.frangipani.clerk.CacheHooks;
import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import dev.catena.frangipani.wal.MetaObject;
import dev.catena.frangipani.wal.MetadataLog;
import dev.catena.frangipani.wal.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A clerk's cache of metadata objects, each belonging to one lock (its scope). Entries are loaded
 * from the store under the lock, changed only after their log record committed (then dirty), and
 * written back (with the grant's fence), then forgotten, when the lock goes (Frangipani §5).
 *
 * <p>Contract: the caller holds the scope's lock for {@link #read} and {@link #stage}; {@link
 * #writeBack} and {@link #dropCache} run when no local user holds it. Writes are issued only while
 * {@code writable} says so (lease not suspended or lost). Thread-safe.
 */
final class MetadataCache implements CacheHooks {
  private record Cached(MetaObject object, boolean dirty, String scope, long token) {}

  private final ObjectStore store;
  private final MetadataLog log;
  private final Map<String, Cached> entries = new HashMap<>();
  private volatile BooleanSupplier writable = () -> true;
  private volatile boolean failed;

  MetadataCache(ObjectStore store, MetadataLog log) {
    this.store = store;
    this.log = log;
  }

  void writableWhen(BooleanSupplier writable) {
    this.writable = writable;
  }

  /** The object {@code key} under lock {@code scope}, from the cache or the store. */
  MetaObject read(String key, String scope) {
    synchronized (this) {
      Cached c = entries.get(key);
      if (c != null) {
        return c.object();
      }
    }
    MetaObject loaded =
        store.get(key).map(MetaObject::decode).orElse(new MetaObject(0, true, new byte[0]));
    synchronized (this) {
      return entries.computeIfAbsent(key, k -> new Cached(loaded, false, scope, 0)).object();
    }
  }

  /** Applies the committed updates of a log record to the cache (dirty until written back). */
  synchronized void stage(List<Update> updates) {
    for (Update u : updates) {
      entries.put(u.key(), new Cached(u.object(), true, u.scope(), u.token()));
    }
  }

  /** Scopes with dirty entries. */
  synchronized Set<String> dirtyScopes() {
    Set<String> out = new TreeSet<>();
    entries.values().stream().filter(Cached::dirty).forEach(c -> out.add(c.scope()));
    return out;
  }

  /** Whether the lease was lost with dirty entries. */
  boolean failed() {
    return failed;
  }

  @Override
  public void writeBack(String lock) {
    List<Map.Entry<String, Cached>> dirty = new ArrayList<>();
    synchronized (this) {
      for (var e : entries.entrySet()) {
        if (e.getValue().dirty() && e.getValue().scope().equals(lock)) {
          dirty.add(Map.entry(e.getKey(), e.getValue()));
        }
      }
    }
    for (var e : dirty) {
      if (!writable.getAsBoolean()) {
        throw new dev.catena.frangipani.lock.LeaseLostException(
            "lease suspended or lost: write-back of " + lock + " stopped");
      }
      Cached c = e.getValue();
      store.put(e.getKey(), c.object().encode(), new Fence(c.scope(), c.token()));
      log.writtenBack(e.getKey(), c.object().version());
      synchronized (this) {
        entries.computeIfPresent(
            e.getKey(), (k, now) -> now == c ? new Cached(c.object(), false, c.scope(), 0) : now);
      }
    }
    log.trim();
  }

  @Override
  public synchronized void dropCache(String lock) {
    entries.values().removeIf(c -> c.scope().equals(lock));
  }

  @Override
  public void failDirty(String lock) {
    failed = true;
  }
}
