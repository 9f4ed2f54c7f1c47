package dev.catena.frangipani.fs;

import dev.catena.frangipani.clerk.LockClerk;
import dev.catena.frangipani.clerk.LockServer;
import dev.catena.frangipani.fs.Inode.Entry;
import dev.catena.frangipani.fs.Inode.Type;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import dev.catena.frangipani.wal.MetaObject;
import dev.catena.frangipani.wal.MetadataLog;
import dev.catena.frangipani.wal.Update;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The namespace of one clerk (Frangipani §4–§5) on a shared {@link ObjectStore}: inodes and
 * directories are metadata objects {@code inode/<id>}, each guarded by the lock {@code i<id>}; file
 * bytes are ordinary objects {@code data/<id>/<random>}, written before the inode that names them
 * and not logged.
 *
 * <p>Every operation: take the shape lock {@value #RENAME_LOCK} (shared, or exclusive for a
 * rename), look the path up under shared locks (one directory at a time), take the locks it changes
 * in one global order (the shape lock first, then inode locks by name: no deadlock), check under
 * them that what the lookup saw still holds (else start again), write one log record with all its
 * updates, and only then change the cache. Nobody sees an intermediate state: other clerks read the
 * objects only after acquiring the locks, which first writes the changes back.
 *
 * <p>The shape lock makes every operation linearizable, path walk included: only a rename moves a
 * directory, so while an operation holds the shape lock shared, a directory its walk passed through
 * stays at that path unless it is removed (which the walk notices: a removed inode restarts it).
 * Without it, {@code write("/a/x")} could resolve {@code /a}, a concurrent rename could move it to
 * {@code /b}, and the write would create {@code /b/x} after a reader saw {@code /b} without it. The
 * lock is sticky like every other, so it costs nothing until a rename revokes it; renames are
 * serialised cluster-wide, as Linux serialises cross-directory renames per file system.
 *
 * <p>Errors are {@link FsException} subclasses and leave nothing applied. An operation that fails
 * with another exception (store unavailable, lease lost) may or may not have been applied, as a
 * failed Catena put. Thread-safe.
 */
public final class FileSystem implements AutoCloseable {
  /** The inode id of the root directory. */
  public static final String ROOT = "root";

  static final String RENAME_LOCK = "a_rename";
  private static final int ATTEMPTS = 50;

  private final LockClerk clerk;
  private final ObjectStore store;
  private final MetadataLog log;
  private final MetadataCache cache;
  private final InodeReader inodes;
  private final RandomGenerator random;

  /** What {@link #stat} returns. */
  public record Stat(String path, String id, Type type, long size, long version, int entries) {}

  /** One entry of {@link #list}. */
  public record DirEntry(String name, Type type) {}

  /**
   * The namespace of a new clerk on {@code server} (which it owns from now on), with a log of at
   * most {@code maxLogRecords} records. Creates the root directory if the store has none.
   */
  public FileSystem(
      LockServer server, ObjectStore store, int maxLogRecords, RandomGenerator random) {
    this.store = store;
    this.random = random;
    this.log = new MetadataLog(store, server.clerkId(), maxLogRecords);
    this.cache = new MetadataCache(store, log);
    this.clerk = new LockClerk(server, cache);
    this.inodes = new InodeReader(clerk, cache);
    cache.writableWhen(clerk::writable);
    ensureRoot();
  }

  /** The clerk's lock cache (status, counters). */
  public LockClerk clerk() {
    return clerk;
  }

  // ---- operations ---------------------------------------------------------------------------

  /** Creates the directory {@code path}; its parent must exist. */
  public void mkdir(String path) {
    createNew(path, Inode.dir());
  }

  /** Creates an empty file at {@code path}; fails if the name is taken. */
  public void create(String path) {
    createNew(path, Inode.file(0, Optional.empty()));
  }

  private void createNew(String path, Inode inode) {
    FsPath p = FsPath.parse(path);
    if (p.isRoot()) {
      throw new FsException.AlreadyExists(path);
    }
    retrying(
        () -> {
          linkNew(inodes.resolveDir(p.parent()), p, newId(), inode, false);
          return null;
        });
  }

  /** Writes the new inode {@code id} and its entry in {@code parent} as one log record. */
  private void linkNew(Entry parent, FsPath p, String id, Inode inode, boolean retryIfTaken) {
    try (OperationLocks l = locks().x(parent.id()).x(id).take()) {
      Inode pi = inodes.live(parent.id(), l);
      if (pi.entries().containsKey(p.name())) {
        throw retryIfTaken ? new LookupChanged() : new FsException.AlreadyExists(p.toString());
      }
      commit(
          l,
          update(id, l, 1, inode),
          update(parent.id(), l, pi.with(p.name(), new Entry(id, inode.type()))));
    }
  }

  /** Replaces the contents of file {@code path} with {@code data}, creating the file if needed. */
  public void write(String path, byte[] data) {
    FsPath p = FsPath.parse(path);
    if (p.isRoot()) {
      throw new FsException.IsADirectory(path);
    }
    retrying(
        () -> {
          Entry parent = inodes.resolveDir(p.parent());
          Entry existing = inodes.readInodeLive(parent.id()).entries().get(p.name());
          if (existing != null && existing.type() == Type.DIR) {
            throw new FsException.IsADirectory(path);
          }
          String id = existing != null ? existing.id() : newId();
          Optional<String> dataKey = putData(id, data);
          Optional<String> old = Optional.empty();
          // True once the record is logged, or may have been: then the new inode may name the
          // bytes (recovery replays the record), so they must stay even if this call fails.
          boolean maybeLogged = false;
          try {
            if (existing != null) {
              try (OperationLocks l = locks().s(parent.id()).x(id).take()) {
                Inode pi = inodes.live(parent.id(), l);
                if (!existing.equals(pi.entries().get(p.name()))) {
                  throw new LookupChanged();
                }
                old = inodes.live(id, l).dataKey();
                maybeLogged = true;
                commit(l, update(id, l, Inode.file(data.length, dataKey)));
              }
            } else {
              maybeLogged = true;
              linkNew(parent, p, id, Inode.file(data.length, dataKey), true);
            }
          } catch (LookupChanged | FsException e) {
            // Thrown before the record was appended (a conflict or a typed error): not logged.
            dataKey.ifPresent(k -> store.delete(k, Fence.NONE));
            throw e;
          } catch (RuntimeException e) {
            if (!maybeLogged) {
              dataKey.ifPresent(k -> store.delete(k, Fence.NONE));
            }
            throw e;
          }
          old.ifPresent(k -> store.delete(k, Fence.NONE));
          return null;
        });
  }

  /** The contents of file {@code path}. */
  public byte[] read(String path) {
    FsPath p = FsPath.parse(path);
    return retrying(
        () -> {
          Entry e = inodes.resolve(p);
          if (e.type() == Type.DIR) {
            throw new FsException.IsADirectory(path);
          }
          try (OperationLocks l = locks().s(e.id()).take()) {
            Inode fi = inodes.live(e.id(), l);
            if (fi.dataKey().isEmpty()) {
              return new byte[0];
            }
            return store.get(fi.dataKey().get()).orElseThrow(LookupChanged::new);
          }
        });
  }

  /** Removes file {@code path}. */
  public void unlink(String path) {
    FsPath p = FsPath.parse(path);
    if (p.isRoot()) {
      throw new FsException.IsADirectory(path);
    }
    retrying(
        () -> {
          Entry parent = inodes.resolveDir(p.parent());
          Entry e = inodes.child(parent, p);
          if (e.type() == Type.DIR) {
            throw new FsException.IsADirectory(path);
          }
          Optional<String> old;
          try (OperationLocks l = locks().x(parent.id()).x(e.id()).take()) {
            Inode pi = inodes.live(parent.id(), l);
            if (!e.equals(pi.entries().get(p.name()))) {
              throw new LookupChanged();
            }
            old = inodes.live(e.id(), l).dataKey();
            commit(l, update(parent.id(), l, pi.without(p.name())), tombstone(e.id(), l));
          }
          old.ifPresent(k -> store.delete(k, Fence.NONE));
          return null;
        });
  }

  /** Removes the empty directory {@code path}. */
  public void rmdir(String path) {
    FsPath p = FsPath.parse(path);
    if (p.isRoot()) {
      throw new FsException.InvalidMove("cannot remove /");
    }
    retrying(
        () -> {
          Entry parent = inodes.resolveDir(p.parent());
          Entry e = inodes.child(parent, p);
          if (e.type() != Type.DIR) {
            throw new FsException.NotADirectory(path);
          }
          try (OperationLocks l = locks().x(parent.id()).x(e.id()).take()) {
            Inode pi = inodes.live(parent.id(), l);
            if (!e.equals(pi.entries().get(p.name()))) {
              throw new LookupChanged();
            }
            if (!inodes.live(e.id(), l).entries().isEmpty()) {
              throw new FsException.DirectoryNotEmpty(path);
            }
            commit(l, update(parent.id(), l, pi.without(p.name())), tombstone(e.id(), l));
          }
          return null;
        });
  }

  /**
   * Moves {@code from} to {@code to} atomically, across directories too. An existing file at {@code
   * to} is replaced (atomic replacement: write a temporary file, then rename it), an empty
   * directory is replaced by a directory. Refused: moving the root, moving a directory into its own
   * subtree, a directory over a file or a file over a directory, over a non-empty directory.
   */
  public void rename(String from, String to) {
    FsPath s = FsPath.parse(from);
    FsPath d = FsPath.parse(to);
    if (s.isRoot() || d.isRoot()) {
      throw new FsException.InvalidMove("cannot move / or move onto /");
    }
    if (s.contains(d) && !s.equals(d)) {
      throw new FsException.InvalidMove("cannot move " + from + " into its own subtree " + to);
    }
    try (OperationLocks renameLock = locks().lock(RENAME_LOCK).take()) {
      retryingUnderShape(
          () -> {
            Entry sp = inodes.resolveDir(s.parent());
            Entry dp = inodes.resolveDir(d.parent());
            Entry se = inodes.child(sp, s);
            if (s.equals(d)) {
              return null;
            }
            Entry de = inodes.readInodeLive(dp.id()).entries().get(d.name());
            if (de != null && se.type() == Type.DIR && de.type() == Type.FILE) {
              throw new FsException.NotADirectory(to);
            }
            if (de != null && se.type() == Type.FILE && de.type() == Type.DIR) {
              throw new FsException.IsADirectory(to);
            }
            OperationLocks.Builder b = locks().x(sp.id()).x(dp.id());
            if (de != null) {
              b.x(de.id());
            }
            Optional<String> old = Optional.empty();
            try (OperationLocks l = b.take()) {
              Inode spi = inodes.live(sp.id(), l);
              Inode dpi = inodes.live(dp.id(), l);
              if (!se.equals(spi.entries().get(s.name()))
                  || !java.util.Objects.equals(de, dpi.entries().get(d.name()))) {
                throw new LookupChanged();
              }
              List<Update> updates = new ArrayList<>();
              if (sp.id().equals(dp.id())) {
                updates.add(update(sp.id(), l, spi.without(s.name()).with(d.name(), se)));
              } else {
                updates.add(update(sp.id(), l, spi.without(s.name())));
                updates.add(update(dp.id(), l, dpi.with(d.name(), se)));
              }
              if (de != null) {
                Inode di = inodes.live(de.id(), l);
                if (di.isDir() && !di.entries().isEmpty()) {
                  throw new FsException.DirectoryNotEmpty(to);
                }
                old = di.dataKey();
                updates.add(tombstone(de.id(), l));
              }
              commit(l, updates.toArray(Update[]::new));
            }
            old.ifPresent(k -> store.delete(k, Fence.NONE));
            return null;
          });
    }
  }

  /** The entries of directory {@code path}, sorted by name. */
  public List<DirEntry> list(String path) {
    FsPath p = FsPath.parse(path);
    return retrying(
        () -> {
          Entry e = inodes.resolve(p);
          if (e.type() != Type.DIR) {
            throw new FsException.NotADirectory(path);
          }
          List<DirEntry> out = new ArrayList<>();
          for (var c : inodes.readInodeLive(e.id()).entries().entrySet()) {
            out.add(new DirEntry(c.getKey(), c.getValue().type()));
          }
          return out;
        });
  }

  /** What {@code path} is. */
  public Stat stat(String path) {
    FsPath p = FsPath.parse(path);
    return retrying(
        () -> {
          Entry e = inodes.resolve(p);
          try (OperationLocks l = locks().s(e.id()).take()) {
            MetaObject o = cache.read(key(e.id()), scope(e.id()));
            if (o.deleted()) {
              throw new LookupChanged();
            }
            Inode i = Inode.decode(o.payload());
            return new Stat(
                p.toString(), e.id(), i.type(), i.size(), o.version(), i.entries().size());
          }
        });
  }

  /** Writes back every dirty update and trims the log (what a revoke does, for every lock). */
  public void sync() {
    if (cache.failed()) {
      throw new LeaseLostException("the lease was lost with updates not written back");
    }
    for (String scope : cache.dirtyScopes()) {
      try (OperationLocks l = locks().lock(scope).take()) {
        cache.writeBack(scope);
      }
    }
  }

  /**
   * Writes everything back, deletes the log, releases every lock and ends the clerk cleanly
   * (nothing for the recovery daemon to do). If the lease is lost, it only ends the clerk: the log
   * holds what was not written back, and the recovery daemon replays it.
   */
  @Override
  public void close() {
    if (!clerk.writable() || cache.failed()) {
      clerk.close();
      return;
    }
    try {
      sync();
      log.deleteAll();
    } catch (LeaseLostException e) {
      // The session ended during the close: what was not written back is in the log, which the
      // recovery daemon replays; the clerk ends as a crashed one would.
    } finally {
      clerk.close();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  static String key(String id) {
    return "inode/" + id;
  }

  static String scope(String id) {
    return "i" + id;
  }

  private String newId() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private Optional<String> putData(String id, byte[] data) {
    if (data.length == 0) {
      return Optional.empty();
    }
    String k = "data/" + id + "/" + newId();
    store.put(k, data, Fence.NONE);
    return Optional.of(k);
  }

  private void ensureRoot() {
    if (!inodes.readInodeObject(ROOT).deleted()) {
      return;
    }
    try (OperationLocks l = locks().x(ROOT).take()) {
      MetaObject o = cache.read(key(ROOT), scope(ROOT));
      if (o.deleted() && o.version() == 0) {
        commit(l, update(ROOT, l, 1, Inode.dir()));
      }
    }
  }

  /** Runs {@code attempt} under the shape lock (shared) until it does not conflict. */
  private <T> T retrying(java.util.function.Supplier<T> attempt) {
    return retryingUnderShape(
        () -> {
          try (OperationLocks shape = locks().sharedLock(RENAME_LOCK).take()) {
            return attempt.get();
          }
        });
  }

  /** Runs {@code attempt}, whose caller holds the shape lock, until it does not conflict. */
  private <T> T retryingUnderShape(java.util.function.Supplier<T> attempt) {
    if (cache.failed()) {
      throw new LeaseLostException("the lease was lost with updates not written back");
    }
    if (log.full()) {
      sync();
    }
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        return attempt.get();
      } catch (LookupChanged r) {
        // what the lookup saw changed before the locks were taken: look again
      }
    }
    throw new FsException("operation kept conflicting with concurrent changes; try again");
  }

  private Update update(String id, OperationLocks l, Inode inode) {
    long v = cache.read(key(id), scope(id)).version() + 1;
    return update(id, l, v, inode);
  }

  private Update update(String id, OperationLocks l, long version, Inode inode) {
    return new Update(key(id), scope(id), l.token(scope(id)), version, false, inode.encode());
  }

  private Update tombstone(String id, OperationLocks l) {
    long v = cache.read(key(id), scope(id)).version() + 1;
    return new Update(key(id), scope(id), l.token(scope(id)), v, true, new byte[0]);
  }

  /** Logs the record, then applies it to the cache and marks the locks dirty. */
  private void commit(OperationLocks l, Update... updates) {
    clerk.checkWritable();
    List<Update> list = List.of(updates);
    log.append(list);
    cache.stage(list);
    for (Update u : list) {
      l.markDirty(u.scope());
    }
  }

  private OperationLocks.Builder locks() {
    return new OperationLocks.Builder(clerk);
  }
}
