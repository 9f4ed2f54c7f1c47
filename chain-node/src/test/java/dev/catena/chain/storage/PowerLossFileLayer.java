package dev.catena.chain.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory {@link FileLayer} that records every operation, so that a workload run once can be
 * cut at any point and the state a power failure could leave there computed ({@link CrashStates}).
 * Operations are totally ordered (one lock); {@link #opCount()} is the position of the next one,
 * which a test records when a write is acknowledged.
 *
 * <p>Test hooks: {@link #holdNextForce()} parks the next {@code force} and {@link
 * #parkNextOperation} a given thread's next operation until released (to make group-commit batches
 * deterministic), and a {@link Fault} turns the layer into a broken disk that ignores forces or
 * directory syncs, to prove the harness catches the store that relies on them.
 */
final class PowerLossFileLayer implements FileLayer {

  /** A deliberately broken disk. */
  enum Fault {
    NONE,
    /** {@code force} returns without making anything durable (an acknowledgement before fsync). */
    IGNORE_FORCE,
    /** Directory syncs are dropped (a store that never fsyncs its directory). */
    IGNORE_DIRECTORY_SYNC
  }

  /** One recorded file-system operation. */
  sealed interface Op {}

  /** A directory entry was created: {@code inode} is -1 for a directory. */
  record Create(Path path, int inode) implements Op {}

  /** A directory entry was removed. */
  record Delete(Path path, int inode) implements Op {}

  /** Bytes were written to a file. */
  record Write(int inode, long pos, byte[] bytes) implements Op {}

  /** A file's writes so far were made durable. */
  record Force(int inode) implements Op {}

  /** A directory's entry changes so far were made durable. */
  record SyncDirectory(Path dir) implements Op {}

  private final Object lock = new Object();
  private final Fault fault;
  private final List<Op> ops = new ArrayList<>();
  private final Set<Path> dirs = new HashSet<>();
  private final Map<Path, Integer> files = new HashMap<>();
  private final Map<Integer, byte[]> contents = new HashMap<>();
  private final Map<Integer, Long> sizes = new HashMap<>();
  private final Set<Path> locked = new HashSet<>();
  private int nextInode = 1;
  private Hold hold;
  private Hold park;
  private Thread parked;
  private final CrashStates.Initial initial;

  /** A file system holding exactly {@code state} (everything in it durable), with no history. */
  PowerLossFileLayer(CrashStates.State state, Fault fault) {
    this.fault = fault;
    dirs.addAll(state.dirs());
    state
        .files()
        .forEach(
            (path, bytes) -> {
              int inode = nextInode++;
              files.put(path, inode);
              contents.put(inode, bytes.clone());
              sizes.put(inode, (long) bytes.length);
            });
    Map<Integer, byte[]> initialContents = new HashMap<>();
    contents.forEach((inode, bytes) -> initialContents.put(inode, bytes.clone()));
    this.initial = new CrashStates.Initial(Set.copyOf(dirs), Map.copyOf(files), initialContents);
  }

  /** An empty file system whose only durable directory is {@code root}. */
  static PowerLossFileLayer empty(Path root, Fault fault) {
    return new PowerLossFileLayer(new CrashStates.State(Set.of(root), Map.of()), fault);
  }

  /** What this file system held (all durable) before its first recorded operation. */
  CrashStates.Initial initial() {
    return initial;
  }

  /** Every operation so far, in order. */
  List<Op> ops() {
    synchronized (lock) {
      return List.copyOf(ops);
    }
  }

  /** Position of the next operation. */
  int opCount() {
    synchronized (lock) {
      return ops.size();
    }
  }

  /** Parks the next {@code force} (on whichever thread) until {@link Hold#release()}. */
  Hold holdNextForce() {
    synchronized (lock) {
      hold = new Hold();
      return hold;
    }
  }

  /** Parks {@code thread} at its next operation on this layer until {@link Hold#release()}. */
  Hold parkNextOperation(Thread thread) {
    synchronized (lock) {
      park = new Hold();
      parked = thread;
      return park;
    }
  }

  /** Disarms a {@link #parkNextOperation} that was not reached. */
  void clearPark() {
    synchronized (lock) {
      park = null;
      parked = null;
    }
  }

  private void maybePark() throws IOException {
    Hold h;
    synchronized (lock) {
      if (parked != Thread.currentThread()) {
        return;
      }
      h = park;
      park = null;
      parked = null;
    }
    h.reached.countDown();
    try {
      if (!h.released.await(30, TimeUnit.SECONDS)) {
        throw new IOException("parked operation was never released");
      }
      h.resumed.countDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while parked", e);
    }
  }

  /** Disarms a {@link #holdNextForce()} that no force has reached. */
  void clearHold() {
    synchronized (lock) {
      hold = null;
    }
  }

  /** A parked force: wait until it is reached, then let it go on. */
  static final class Hold {
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);

    void awaitReached() throws InterruptedException {
      if (!reached.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no force was reached");
      }
    }

    /** Waits until the parked thread runs again after {@link #release()}. */
    void awaitResumed() throws InterruptedException {
      if (!resumed.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the parked thread did not resume");
      }
    }

    boolean isReached() {
      return reached.getCount() == 0;
    }

    void release() {
      released.countDown();
    }
  }

  private void record(Op op) {
    ops.add(op);
  }

  @Override
  public Handle open(Path file) throws IOException {
    maybePark();
    synchronized (lock) {
      return new MemHandle(inodeOf(file, true), file);
    }
  }

  private int inodeOf(Path file, boolean create) throws IOException {
    Integer inode = files.get(file);
    if (inode != null) {
      return inode;
    }
    if (!create) {
      throw new NoSuchFileException(file.toString());
    }
    if (!dirs.contains(file.getParent())) {
      throw new NoSuchFileException(file.getParent().toString());
    }
    if (dirs.contains(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    int i = nextInode++;
    files.put(file, i);
    contents.put(i, new byte[0]);
    sizes.put(i, 0L);
    record(new Create(file, i));
    return i;
  }

  @Override
  public List<Path> createDirectories(Path dir) throws IOException {
    synchronized (lock) {
      List<Path> missing = new ArrayList<>();
      for (Path p = dir; p != null && !dirs.contains(p); p = p.getParent()) {
        missing.add(0, p);
      }
      if (!missing.isEmpty() && missing.get(0).getParent() == null) {
        throw new NoSuchFileException(missing.get(0).toString());
      }
      for (Path p : missing) {
        if (files.containsKey(p)) {
          throw new FileAlreadyExistsException(p.toString());
        }
        dirs.add(p);
        record(new Create(p, -1));
      }
      return missing;
    }
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    maybePark();
    synchronized (lock) {
      if (!dirs.contains(dir)) {
        throw new NoSuchFileException(dir.toString());
      }
      List<Path> out = new ArrayList<>();
      for (Path p : files.keySet()) {
        if (dir.equals(p.getParent())) {
          out.add(p);
        }
      }
      for (Path p : dirs) {
        if (dir.equals(p.getParent())) {
          out.add(p);
        }
      }
      return out;
    }
  }

  @Override
  public void delete(Path file) throws IOException {
    maybePark();
    synchronized (lock) {
      Integer inode = files.remove(file);
      if (inode != null) {
        record(new Delete(file, inode));
      }
    }
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    maybePark();
    synchronized (lock) {
      if (!dirs.contains(dir)) {
        throw new NoSuchFileException(dir.toString());
      }
      if (fault != Fault.IGNORE_DIRECTORY_SYNC) {
        record(new SyncDirectory(dir));
      }
    }
  }

  @Override
  public Closeable tryLock(Path file) throws IOException {
    synchronized (lock) {
      inodeOf(file, true);
      if (!locked.add(file)) {
        return null;
      }
    }
    return () -> {
      synchronized (lock) {
        locked.remove(file);
      }
    };
  }

  /** The live (not crashed) bytes of a file, for tests. */
  byte[] liveBytes(Path file) throws IOException {
    synchronized (lock) {
      int inode = inodeOf(file, false);
      return Arrays.copyOf(contents.get(inode), (int) (long) sizes.get(inode));
    }
  }

  private final class MemHandle implements Handle {
    private final int inode;
    private final Path path;
    private boolean closed;

    MemHandle(int inode, Path path) {
      this.inode = inode;
      this.path = path;
    }

    private void checkOpen() throws IOException {
      if (closed) {
        throw new ClosedChannelException();
      }
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
      maybePark();
      synchronized (lock) {
        checkOpen();
        long size = sizes.get(inode);
        if (pos >= size) {
          return dst.hasRemaining() ? -1 : 0;
        }
        int n = (int) Math.min(dst.remaining(), size - pos);
        dst.put(contents.get(inode), (int) pos, n);
        return n;
      }
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
      maybePark();
      synchronized (lock) {
        checkOpen();
        int n = src.remaining();
        byte[] bytes = new byte[n];
        src.get(bytes);
        long end = pos + n;
        byte[] c = contents.get(inode);
        if (end > c.length) {
          c = Arrays.copyOf(c, (int) Math.max(end, 2L * c.length));
          contents.put(inode, c);
        }
        System.arraycopy(bytes, 0, c, (int) pos, n);
        sizes.put(inode, Math.max(sizes.get(inode), end));
        record(new Write(inode, pos, bytes));
        return n;
      }
    }

    @Override
    public long size() throws IOException {
      maybePark();
      synchronized (lock) {
        checkOpen();
        return sizes.get(inode);
      }
    }

    @Override
    public void force() throws IOException {
      maybePark();
      Hold h;
      synchronized (lock) {
        checkOpen();
        h = hold;
        hold = null;
      }
      if (h != null) {
        h.reached.countDown();
        try {
          if (!h.released.await(30, TimeUnit.SECONDS)) {
            throw new IOException("held force of " + path + " was never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while held", e);
        }
      }
      synchronized (lock) {
        if (fault != Fault.IGNORE_FORCE) {
          record(new Force(inode));
        }
      }
    }

    @Override
    public void close() throws IOException {
      maybePark();
      synchronized (lock) {
        closed = true;
      }
    }
  }
}
