package dev.catena.frangipani.fs;

import dev.catena.frangipani.clerk.LockClerk;
import dev.catena.frangipani.clerk.LockClerk.Held;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.lock.LockMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The locks of one namespace operation: requested by name and mode, taken in the global order (by
 * name: the shape lock {@code a_rename} sorts before every inode lock {@code i<id>}, so no two
 * operations wait for each other in a cycle) and released together, in reverse order.
 */
final class OperationLocks implements AutoCloseable {
  private final Map<String, Held> held;

  private OperationLocks(Map<String, Held> held) {
    this.held = held;
  }

  long token(String scope) {
    Held h = held.get(scope);
    if (h == null || h.mode() != LockMode.EXCLUSIVE) {
      throw new IllegalStateException("update under " + scope + " without its exclusive lock");
    }
    return h.token();
  }

  void markDirty(String scope) {
    held.get(scope).markDirty();
  }

  @Override
  public void close() {
    List<Held> all = new ArrayList<>(held.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).close();
    }
  }

  static final class Builder {
    private final LockClerk clerk;
    private final TreeMap<String, LockMode> wanted = new TreeMap<>();

    Builder(LockClerk clerk) {
      this.clerk = clerk;
    }

    Builder x(String id) {
      wanted.put(FileSystem.scope(id), LockMode.EXCLUSIVE);
      return this;
    }

    /** The lock {@code name} itself (not an inode's), exclusive. */
    Builder lock(String name) {
      wanted.put(name, LockMode.EXCLUSIVE);
      return this;
    }

    /** The lock {@code name} itself (not an inode's), shared. */
    Builder sharedLock(String name) {
      wanted.putIfAbsent(name, LockMode.SHARED);
      return this;
    }

    Builder s(String id) {
      wanted.putIfAbsent(FileSystem.scope(id), LockMode.SHARED);
      return this;
    }

    /** Acquires every lock in name order (the global order: no deadlock between clerks). */
    OperationLocks take() {
      Map<String, Held> held = new TreeMap<>();
      try {
        for (var w : wanted.entrySet()) {
          held.put(w.getKey(), clerk.acquire(w.getKey(), w.getValue()));
        }
        return new OperationLocks(held);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        new OperationLocks(held).close();
        throw new LeaseLostException("interrupted while taking locks");
      } catch (RuntimeException e) {
        new OperationLocks(held).close();
        throw e;
      }
    }
  }
}
