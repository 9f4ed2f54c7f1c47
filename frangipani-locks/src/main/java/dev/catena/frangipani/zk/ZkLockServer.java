package dev.catena.frangipani.zk;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.frangipani.clerk.LockServer;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.lock.LockQueue;
import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.lock.LockQueue.Kind;
import dev.catena.frangipani.lock.LockQueue.RevokeResponse;
import dev.catena.frangipani.zk.LockPaths.Named;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.Revoker;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Frangipani lock service on ZooKeeper (DESIGN §7a), for one clerk and its session.
 *
 * <p>Each lock is a directory of ephemeral sequential request nodes ({@link LockPaths}); each mode
 * is a Curator {@code InterProcessMutex} with a {@link ModeDriver} that grants by the {@link
 * LockQueue} rule (shared/exclusive, FIFO, downgrade). The fencing token of a grant is the czxid of
 * its node, captured from the create. Each held lock is pinned to its own single-thread executor,
 * because a Curator mutex must be released by the thread that acquired it.
 *
 * <p>Revoke: a waiter asks every incompatible request ahead of it to give way with Curator's {@link
 * Revoker} (it writes a marker into that node); the holder's mutex is revocable, and on the marker
 * (or on finding it already there right after its grant) the holder computes whether to release or
 * downgrade and tells the clerk. Lease: the session. SUSPENDED and RECONNECTED are passed on; LOST
 * (or a reconnection in a new session) kills this server: every call fails with {@link
 * LeaseLostException}.
 *
 * <p>Recovery barrier: at start the clerk creates its persistent "log not recovered" marker and its
 * ephemeral liveness node. A grant is returned only when no clerk has a marker without a liveness
 * node (a dead clerk whose log the recovery daemon has not replayed): ZooKeeper deletes a dead
 * clerk's lock nodes at expiry, and the marker keeps its locks from being used before the replay.
 * {@link #close()} (clean shutdown) deletes both in one transaction.
 */
public final class ZkLockServer implements LockServer {
  private static final Logger log = LoggerFactory.getLogger(ZkLockServer.class);
  private static final byte[] REVOKE = "__REVOKE__".getBytes(StandardCharsets.UTF_8);
  private static final long REVOKE_REPEAT_MS = 1000;

  private final CuratorFramework zk;
  private final LockPaths paths;
  private final String clerkId;
  private final RecoveryBarrier barrier;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final ExecutorService events;
  private final ConnectionStateListener stateListener = this::stateChanged;
  private volatile Listener listener;
  private volatile boolean lost;
  private volatile boolean closed;
  private long sessionId;

  /** One lock at this clerk: its mutexes and the thread they are bound to. */
  private final class Slot {
    final String lock;
    final ExecutorService thread;
    final ModeDriver readDriver;
    final ModeDriver writeDriver;
    final ModeDriver downDriver;
    final InterProcessMutex read;
    final InterProcessMutex write;
    final InterProcessMutex down;
    volatile InterProcessMutex held;

    Slot(String lock) {
      this.lock = lock;
      String path = paths.lock(lock);
      this.thread =
          Executors.newSingleThreadExecutor(
              new ThreadFactoryBuilder()
                  .setNameFormat("lock-" + lock + "-%d")
                  .setDaemon(true)
                  .build());
      readDriver = new ModeDriver(Kind.SHARED, clerkId);
      writeDriver = new ModeDriver(Kind.EXCLUSIVE, clerkId);
      downDriver = new ModeDriver(Kind.DOWNGRADED, clerkId);
      read = new InterProcessMutex(zk, path, readDriver);
      write = new InterProcessMutex(zk, path, writeDriver);
      down = new InterProcessMutex(zk, path, downDriver);
      for (InterProcessMutex m : List.of(read, write, down)) {
        m.makeRevocable(revoked -> revocationRequested(this, revoked), events);
      }
    }

    ModeDriver driverOf(InterProcessMutex m) {
      return m == read ? readDriver : m == write ? writeDriver : downDriver;
    }
  }

  /**
   * A lock server for clerk {@code clerkId} on the session of {@code zk} (one session per clerk;
   * the caller owns and closes {@code zk}). Call {@link #start()} before use.
   */
  public ZkLockServer(CuratorFramework zk, LockPaths paths, String clerkId) {
    this.zk = zk;
    this.paths = paths;
    this.clerkId = LockPaths.checkName(clerkId);
    this.barrier = new RecoveryBarrier(zk, paths, this.clerkId);
    this.events =
        Executors.newCachedThreadPool(
            new ThreadFactoryBuilder()
                .setNameFormat("clerk-" + clerkId + "-events-%d")
                .setDaemon(true)
                .build());
  }

  /** Registers the clerk: its "log not recovered" marker, then its liveness node. */
  public ZkLockServer start() throws Exception {
    zk.blockUntilConnected();
    sessionId = zk.getZookeeperClient().getZooKeeper().getSessionId();
    barrier.register();
    zk.getConnectionStateListenable().addListener(stateListener);
    return this;
  }

  @Override
  public String clerkId() {
    return clerkId;
  }

  @Override
  public void listener(Listener listener) {
    this.listener = listener;
  }

  @Override
  public long acquire(String lock, LockMode mode) throws InterruptedException {
    checkAlive();
    Slot slot = slots.computeIfAbsent(lock, Slot::new);
    InterProcessMutex mutex = mode == LockMode.EXCLUSIVE ? slot.write : slot.read;
    ModeDriver driver = slot.driverOf(mutex);
    Semaphore wake = new Semaphore(0);
    driver.onCreated(wake::release);
    CompletableFuture<Void> grant =
        CompletableFuture.runAsync(
            () -> {
              try {
                mutex.acquire();
                slot.held = mutex;
                checkMissedRevoke(slot, mutex);
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            },
            slot.thread);
    grant.whenComplete((ok, err) -> wake.release());
    String lockPath = paths.lock(lock);
    Set<String> revoked = new HashSet<>();
    try {
      while (!grant.isDone()) {
        revokeAhead(lockPath, driver, revoked, wake);
        if (!wake.tryAcquire(REVOKE_REPEAT_MS, TimeUnit.MILLISECONDS)) {
          revoked.clear(); // ask again: a holder may have missed it (repeats are harmless)
        }
      }
      grant.get();
    } catch (InterruptedException e) {
      grant.cancel(true);
      forget(slot);
      throw e;
    } catch (ExecutionException e) {
      forget(slot);
      Throwable cause =
          e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
      throw failure("acquire " + lock, cause);
    } catch (Exception e) {
      grant.cancel(true);
      forget(slot);
      throw failure("acquire " + lock, e);
    }
    try {
      barrier.awaitNoDeadClerks(this::checkAlive);
    } catch (InterruptedException e) {
      release(lock);
      throw e;
    } catch (LockServiceException e) {
      // ZooKeeper may report the session's expiry to this read before the connection listener
      // sets `lost`: that is a lost lease (typed), not a lock-service failure.
      throw failure("acquire " + lock, e.getCause());
    }
    return driver.czxid();
  }

  @Override
  public void release(String lock) throws InterruptedException {
    Slot slot = slots.get(lock);
    if (slot == null || slot.held == null) {
      return;
    }
    onThread(
        slot,
        () -> {
          InterProcessMutex m = slot.held;
          slot.held = null;
          if (m != null && !lost) {
            m.release();
          }
        });
    forget(slot);
  }

  @Override
  public long downgrade(String lock) throws InterruptedException {
    checkAlive();
    Slot slot = slots.get(lock);
    if (slot == null || slot.held != slot.write) {
      throw new IllegalStateException(lock + " is not held exclusively by " + clerkId);
    }
    onThread(
        slot,
        () -> {
          slot.down.acquire();
          slot.held = slot.down;
          slot.write.release();
          checkMissedRevoke(slot, slot.down);
        });
    return slot.downDriver.czxid();
  }

  /** Locks this clerk holds at the server, with their modes (for status output). */
  public Map<String, LockMode> held() {
    Map<String, LockMode> out = new java.util.TreeMap<>();
    for (Slot s : slots.values()) {
      InterProcessMutex m = s.held;
      if (m != null) {
        out.put(s.lock, m == s.write ? LockMode.EXCLUSIVE : LockMode.SHARED);
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    zk.getConnectionStateListenable().removeListener(stateListener);
    for (Slot slot : List.copyOf(slots.values())) {
      try {
        release(slot.lock);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.warn("release of {} at close failed: {}", slot.lock, e.toString());
      }
    }
    if (!lost) {
      barrier.deregister();
    }
    for (Slot slot : slots.values()) {
      slot.thread.shutdownNow();
    }
    events.shutdownNow();
  }

  // ---- revocation ---------------------------------------------------------------------------

  /** One round of the waiter's side: revoke every incompatible request ahead, watch for change. */
  private void revokeAhead(String lockPath, ModeDriver driver, Set<String> revoked, Semaphore wake)
      throws Exception {
    Watcher w = event -> wake.release();
    List<String> children;
    try {
      children = zk.getChildren().usingWatcher(w).forPath(lockPath);
    } catch (KeeperException.NoNodeException e) {
      return; // not created yet: our own create will wake us
    }
    String ours = driver.ourPath();
    if (ours == null) {
      return;
    }
    String ourName = ours.substring(ours.lastIndexOf('/') + 1);
    List<Named> queue = LockPaths.queue(children);
    int index = indexOf(queue, ourName);
    if (index < 0) {
      return;
    }
    List<Entry> entries = LockPaths.entries(queue);
    for (Entry e : LockQueue.toRevoke(entries, index)) {
      String name = queue.get(entries.indexOf(e)).name();
      if (revoked.add(name)) {
        Revoker.attemptRevoke(zk, lockPath + "/" + name);
      }
    }
  }

  /**
   * Watches the granted node for the revoke marker with a watch of our own (re-armed on every
   * change), besides Curator's revocable watch, and looks at the data once now: a marker written
   * before any watch was set is found, and no marker is missed while the grant lasts.
   */
  private void checkMissedRevoke(Slot slot, InterProcessMutex mutex) throws Exception {
    String path = slot.driverOf(mutex).ourPath();
    Watcher rearm =
        event -> {
          if (event.getType() == Watcher.Event.EventType.NodeDataChanged && slot.held == mutex) {
            events.execute(
                () -> {
                  try {
                    checkMissedRevoke(slot, mutex);
                  } catch (Exception e) {
                    log.debug("re-reading {} for a revoke failed: {}", path, e.toString());
                  }
                });
          }
        };
    try {
      if (Arrays.equals(zk.getData().usingWatcher(rearm).forPath(path), REVOKE)) {
        events.execute(() -> revocationRequested(slot, mutex));
      }
    } catch (KeeperException.NoNodeException e) {
      // released, or gone with the session; the state listener reports the latter
    }
  }

  private void revocationRequested(Slot slot, InterProcessMutex mutex) {
    if (lost || closed || slot.held != mutex || slots.get(slot.lock) != slot) {
      return;
    }
    RevokeResponse response = RevokeResponse.RELEASE;
    try {
      String ours = slot.driverOf(mutex).ourPath();
      List<Named> queue = LockPaths.queue(zk.getChildren().forPath(paths.lock(slot.lock)));
      int index = indexOf(queue, ours.substring(ours.lastIndexOf('/') + 1));
      if (index >= 0) {
        response = LockQueue.revokeResponse(LockPaths.entries(queue), index);
      }
    } catch (Exception e) {
      log.debug("reading the queue of {} for a revoke failed: {}", slot.lock, e.toString());
    }
    Listener l = listener;
    if (l != null) {
      l.revokeRequested(slot.lock, response);
    }
  }

  // ---- session ------------------------------------------------------------------------------

  private void stateChanged(CuratorFramework client, ConnectionState state) {
    Listener l = listener;
    switch (state) {
      case SUSPENDED -> {
        if (l != null) {
          l.suspended();
        }
      }
      case RECONNECTED -> {
        long now;
        try {
          now = client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
          now = -1;
        }
        if (now != sessionId) {
          sessionLost();
        } else if (l != null && !lost) {
          l.resumed();
        }
      }
      case LOST -> sessionLost();
      default -> {}
    }
  }

  private void sessionLost() {
    if (lost) {
      return;
    }
    lost = true;
    for (Slot slot : slots.values()) {
      slot.held = null;
      slot.thread.shutdownNow();
    }
    slots.clear();
    Listener l = listener;
    if (l != null) {
      events.execute(l::lost);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private interface ZkAction {
    void run() throws Exception;
  }

  private void onThread(Slot slot, ZkAction action) throws InterruptedException {
    Future<?> f =
        slot.thread.submit(
            () -> {
              action.run();
              return null;
            });
    try {
      f.get();
    } catch (ExecutionException e) {
      throw failure("lock " + slot.lock, e.getCause());
    }
  }

  private void forget(Slot slot) {
    if (slot.held == null && slots.remove(slot.lock, slot)) {
      slot.thread.shutdown();
    }
  }

  private static int indexOf(List<Named> queue, String name) {
    for (int i = 0; i < queue.size(); i++) {
      if (queue.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private void checkAlive() {
    if (lost) {
      throw new LeaseLostException("clerk " + clerkId + ": session expired");
    }
    if (closed) {
      throw new IllegalStateException("clerk " + clerkId + " is closed");
    }
  }

  private RuntimeException failure(String what, Throwable cause) {
    // ZooKeeper may report the expiry to the call before the connection listener sets `lost`.
    if (lost || cause instanceof KeeperException.SessionExpiredException) {
      return new LeaseLostException("clerk " + clerkId + ": session expired during " + what);
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    return new LockServiceException(what + " failed: " + cause, cause);
  }
}
