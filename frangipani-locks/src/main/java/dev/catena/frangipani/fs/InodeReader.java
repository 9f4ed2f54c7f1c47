package dev.catena.frangipani.fs;

import dev.catena.frangipani.clerk.LockClerk;
import dev.catena.frangipani.fs.Inode.Entry;
import dev.catena.frangipani.fs.Inode.Type;
import dev.catena.frangipani.wal.MetaObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads inodes for the namespace operations of one clerk: path lookup under shared locks, one
 * directory at a time, and inode reads through the clerk's cache. A removed inode met on the way
 * throws {@link LookupChanged}, so the operation starts again. Thread-safe (as the clerk and cache
 * are).
 */
final class InodeReader {
  private final LockClerk clerk;
  private final MetadataCache cache;

  InodeReader(LockClerk clerk, MetadataCache cache) {
    this.clerk = clerk;
    this.cache = cache;
  }

  /** Resolves {@code p} under shared locks, one directory at a time. */
  Entry resolve(FsPath p) {
    Entry cur = new Entry(FileSystem.ROOT, Type.DIR);
    List<String> seen = new ArrayList<>();
    for (String c : p.components()) {
      if (cur.type() != Type.DIR) {
        throw new FsException.NotADirectory("/" + String.join("/", seen));
      }
      Inode dir = readInodeLive(cur.id());
      seen.add(c);
      Entry next = dir.entries().get(c);
      if (next == null) {
        throw new FsException.NoSuchPath("/" + String.join("/", seen));
      }
      cur = next;
    }
    return cur;
  }

  Entry resolveDir(FsPath p) {
    Entry e = resolve(p);
    if (e.type() != Type.DIR) {
      throw new FsException.NotADirectory(p.toString());
    }
    return e;
  }

  Entry child(Entry parent, FsPath p) {
    Entry e = readInodeLive(parent.id()).entries().get(p.name());
    if (e == null) {
      throw new FsException.NoSuchPath(p.toString());
    }
    return e;
  }

  MetaObject readInodeObject(String id) {
    try (OperationLocks l = new OperationLocks.Builder(clerk).s(id).take()) {
      return cache.read(FileSystem.key(id), FileSystem.scope(id));
    }
  }

  /** The inode {@code id} read under a shared lock; a removed one means the lookup must restart. */
  Inode readInodeLive(String id) {
    MetaObject o = readInodeObject(id);
    if (o.deleted()) {
      throw new LookupChanged();
    }
    return Inode.decode(o.payload());
  }

  /** The inode {@code id}, whose lock {@code l} holds; a removed one restarts the operation. */
  Inode live(String id, OperationLocks l) {
    MetaObject o = cache.read(FileSystem.key(id), FileSystem.scope(id));
    if (o.deleted()) {
      throw new LookupChanged();
    }
    return Inode.decode(o.payload());
  }
}
