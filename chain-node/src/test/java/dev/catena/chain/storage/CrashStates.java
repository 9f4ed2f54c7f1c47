package dev.catena.chain.storage;

import dev.catena.chain.storage.PowerLossFileLayer.Create;
import dev.catena.chain.storage.PowerLossFileLayer.Delete;
import dev.catena.chain.storage.PowerLossFileLayer.Force;
import dev.catena.chain.storage.PowerLossFileLayer.Op;
import dev.catena.chain.storage.PowerLossFileLayer.SyncDirectory;
import dev.catena.chain.storage.PowerLossFileLayer.Write;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The states a power failure can leave after a prefix of recorded file-system operations (pure: no
 * I/O). Per the {@link FileLayer} contract: a file keeps the bytes it had at its last {@code
 * force}, plus whatever a {@link Loss} keeps of the writes after it (each dropped, kept, torn to a
 * prefix, or zero-filled as an unwritten extent); a directory keeps the entries it had at its last
 * sync plus whatever the loss keeps of the creations and deletions after it. A directory whose own
 * entry is lost takes everything below it along.
 */
final class CrashStates {
  private CrashStates() {}

  /** A file system at rest: the directories and the bytes of every file. */
  record State(Set<Path> dirs, Map<Path, byte[]> files) {}

  /** The durable state a recording started from, by inode. */
  record Initial(Set<Path> dirs, Map<Path, Integer> files, Map<Integer, byte[]> contents) {}

  /** What a write that was not forced left on disk. */
  sealed interface Kept {}

  /** Nothing. */
  record Dropped() implements Kept {}

  /** All of it. */
  record Whole() implements Kept {}

  /** Its first {@code bytes} bytes. */
  record Torn(int bytes) implements Kept {}

  /** The file grew over it, but the range reads as zeros (an unwritten extent). */
  record Zeros() implements Kept {}

  /** Decides, operation by operation in recorded order, what of the unsynced state survives. */
  interface Loss {
    /** Whether a creation or deletion of a directory entry not yet synced survives. */
    boolean keepsEntryChange(Op change);

    /** What survives of a write not yet forced. */
    Kept keepsWrite(Write write);

    /** Nothing that was not made durable survives. */
    static Loss syncedOnly() {
      return new Loss() {
        @Override
        public boolean keepsEntryChange(Op change) {
          return false;
        }

        @Override
        public Kept keepsWrite(Write write) {
          return new Dropped();
        }

        @Override
        public String toString() {
          return "synced-only";
        }
      };
    }

    /** Everything survives (what a process crash leaves: the page cache is kept). */
    static Loss nothingLost() {
      return new Loss() {
        @Override
        public boolean keepsEntryChange(Op change) {
          return true;
        }

        @Override
        public Kept keepsWrite(Write write) {
          return new Whole();
        }

        @Override
        public String toString() {
          return "nothing-lost";
        }
      };
    }

    /** Each unsynced change independently: no order between them (POSIX allows this). */
    static Loss unordered(long seed) {
      SplittableRandom rnd = new SplittableRandom(seed);
      return new Loss() {
        @Override
        public boolean keepsEntryChange(Op change) {
          return rnd.nextBoolean();
        }

        @Override
        public Kept keepsWrite(Write w) {
          return switch (rnd.nextInt(4)) {
            case 0 -> new Dropped();
            case 1 -> new Whole();
            case 2 -> new Torn(rnd.nextInt(Math.max(1, w.bytes().length)));
            default -> new Zeros();
          };
        }

        @Override
        public String toString() {
          return "unordered(" + seed + ")";
        }
      };
    }

    /**
     * A prefix of the unsynced writes of each file survives (the last one possibly torn), and a
     * prefix of all unsynced entry changes (what an ordered journal leaves).
     */
    static Loss ordered(long seed) {
      SplittableRandom rnd = new SplittableRandom(seed);
      Set<Integer> stopped = new HashSet<>();
      boolean[] entriesStopped = {false};
      return new Loss() {
        @Override
        public boolean keepsEntryChange(Op change) {
          if (!entriesStopped[0] && rnd.nextInt(3) == 0) {
            entriesStopped[0] = true;
          }
          return !entriesStopped[0];
        }

        @Override
        public Kept keepsWrite(Write w) {
          if (stopped.contains(w.inode())) {
            return new Dropped();
          }
          if (rnd.nextInt(3) != 0) {
            return new Whole();
          }
          stopped.add(w.inode());
          return new Torn(rnd.nextInt(Math.max(1, w.bytes().length)));
        }

        @Override
        public String toString() {
          return "ordered(" + seed + ")";
        }
      };
    }
  }

  /** The state left by a power failure just before operation {@code cut} of {@code ops}. */
  static State at(Initial initial, List<Op> ops, int cut, Loss loss) {
    Map<Integer, Bytes> durable = new HashMap<>();
    initial.contents().forEach((inode, b) -> durable.put(inode, new Bytes(b)));
    Map<Integer, List<Integer>> pendingWrites = new HashMap<>();
    Map<Path, Map<Path, Integer>> durableEntries = new HashMap<>();
    Map<Path, List<Integer>> pendingEntries = new HashMap<>();
    Set<Path> tops = new HashSet<>();
    for (Path d : initial.dirs()) {
      if (d.getParent() == null || !initial.dirs().contains(d.getParent())) {
        tops.add(d);
      } else {
        durableEntries.computeIfAbsent(d.getParent(), k -> new HashMap<>()).put(d, -1);
      }
    }
    initial
        .files()
        .forEach(
            (p, inode) ->
                durableEntries.computeIfAbsent(p.getParent(), k -> new HashMap<>()).put(p, inode));
    for (int i = 0; i < cut; i++) {
      Op op = ops.get(i);
      if (op instanceof Create c) {
        pendingEntries.computeIfAbsent(c.path().getParent(), k -> new ArrayList<>()).add(i);
      } else if (op instanceof Delete d) {
        pendingEntries.computeIfAbsent(d.path().getParent(), k -> new ArrayList<>()).add(i);
      } else if (op instanceof Write w) {
        pendingWrites.computeIfAbsent(w.inode(), k -> new ArrayList<>()).add(i);
      } else if (op instanceof Force f) {
        Bytes b = durable.computeIfAbsent(f.inode(), k -> new Bytes(new byte[0]));
        for (int j : pendingWrites.getOrDefault(f.inode(), List.of())) {
          b.write((Write) ops.get(j), new Whole());
        }
        pendingWrites.remove(f.inode());
      } else if (op instanceof SyncDirectory s) {
        Map<Path, Integer> entries = durableEntries.computeIfAbsent(s.dir(), k -> new HashMap<>());
        for (int j : pendingEntries.getOrDefault(s.dir(), List.of())) {
          applyEntry(entries, ops.get(j));
        }
        pendingEntries.remove(s.dir());
      }
    }
    // What the loss keeps, decided in recorded order so a seed replays exactly.
    List<Integer> pending = new ArrayList<>();
    pendingWrites.values().forEach(pending::addAll);
    pendingEntries.values().forEach(pending::addAll);
    pending.sort(null);
    Map<Path, Map<Path, Integer>> entries = new HashMap<>();
    durableEntries.forEach((d, e) -> entries.put(d, new HashMap<>(e)));
    Map<Integer, Bytes> content = new HashMap<>();
    durable.forEach((inode, b) -> content.put(inode, b.copy()));
    for (int j : pending) {
      Op op = ops.get(j);
      if (op instanceof Write w) {
        content
            .computeIfAbsent(w.inode(), k -> new Bytes(new byte[0]))
            .write(w, loss.keepsWrite(w));
      } else {
        if (loss.keepsEntryChange(op)) {
          Path parent =
              op instanceof Create c ? c.path().getParent() : ((Delete) op).path().getParent();
          applyEntry(entries.computeIfAbsent(parent, k -> new HashMap<>()), op);
        }
      }
    }
    Set<Path> dirs = new HashSet<>();
    Map<Path, byte[]> files = new TreeMap<>();
    List<Path> todo = new ArrayList<>(tops);
    while (!todo.isEmpty()) {
      Path d = todo.remove(todo.size() - 1);
      dirs.add(d);
      entries
          .getOrDefault(d, Map.of())
          .forEach(
              (p, inode) -> {
                if (inode == -1) {
                  todo.add(p);
                } else {
                  Bytes b = content.get(inode);
                  files.put(p, b == null ? new byte[0] : b.toArray());
                }
              });
    }
    return new State(dirs, files);
  }

  private static void applyEntry(Map<Path, Integer> entries, Op op) {
    if (op instanceof Create c) {
      entries.put(c.path(), c.inode());
    } else if (op instanceof Delete d) {
      entries.remove(d.path(), d.inode());
    }
  }

  /** A growable file image. */
  private static final class Bytes {
    private byte[] b;
    private int size;

    Bytes(byte[] initial) {
      b = initial.clone();
      size = initial.length;
    }

    Bytes copy() {
      return new Bytes(toArray());
    }

    byte[] toArray() {
      return Arrays.copyOf(b, size);
    }

    void write(Write w, Kept kept) {
      int pos = (int) w.pos();
      int n;
      if (kept instanceof Dropped) {
        n = 0;
      } else if (kept instanceof Torn t) {
        n = t.bytes();
      } else {
        n = w.bytes().length; // Whole or Zeros
      }
      if (n == 0) {
        return;
      }
      int end = pos + n;
      if (end > b.length) {
        b = Arrays.copyOf(b, Math.max(end, 2 * b.length));
      }
      if (kept instanceof Zeros) {
        // an unwritten extent: the file grows, new bytes read as zeros, old bytes stay
        if (end > size) {
          Arrays.fill(b, size, end, (byte) 0);
        }
      } else {
        if (pos > size) {
          Arrays.fill(b, size, pos, (byte) 0);
        }
        System.arraycopy(w.bytes(), 0, b, pos, n);
      }
      size = Math.max(size, end);
    }
  }
}
