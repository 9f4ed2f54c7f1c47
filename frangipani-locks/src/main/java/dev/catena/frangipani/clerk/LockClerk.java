package dev.catena.frangipani.clerk;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.frangipani.lock.ClerkLocks;
import dev.catena.frangipani.lock.ClerkLocks.Effect;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.lock.LockQueue.RevokeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin shell around the pure {@link ClerkLocks}: it runs the effects the state machine asks for
 * against a {@link LockServer} and the clerk's {@link CacheHooks}, and blocks local callers until
 * they are admitted.
 *
 * <p>Contract: {@link #acquire} returns a {@link Held} once this clerk holds the lock in a mode
 * that covers the request and no conflicting local user runs; a lock held idle is re-acquired with
 * no message to the server. Effects run outside the monitor on the thread that caused them (a
 * finishing operation writes back and releases a lock whose revoke waited for it). After the
 * session is lost every call throws {@link LeaseLostException}. Thread-safe.
 */
public final class LockClerk implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LockClerk.class);

  private final LockServer server;
  private final CacheHooks hooks;
  private final ClerkLocks state = new ClerkLocks();
  private final ReentrantLock monitor = new ReentrantLock();
  private final Condition changed = monitor.newCondition();
  private final AtomicLong serverAcquires = new AtomicLong();
  private final AtomicLong revokesHandled = new AtomicLong();
  private final ScheduledExecutorService retry =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("clerk-retry-%d").setDaemon(true).build());
  private static final long RETRY_DELAY_MS = 200;

  /** One admitted use of a lock; {@link #close()} ends it. */
  public final class Held implements AutoCloseable {
    private final String lock;
    private final LockMode mode;
    private final long token;
    private boolean dirty;
    private boolean closed;

    private Held(String lock, LockMode mode, long token) {
      this.lock = lock;
      this.mode = mode;
      this.token = token;
    }

    /** The lock's name. */
    public String lock() {
      return lock;
    }

    /** The mode the caller asked for. */
    public LockMode mode() {
      return mode;
    }

    /** The fencing token of the grant under which this use runs. */
    public long token() {
      return token;
    }

    /** Records that this use left updates that are logged but not yet written back. */
    public void markDirty() {
      dirty = true;
    }

    /** Ends the use; may write back and release the lock if a revoke waited for it. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      List<Effect> effects;
      monitor.lock();
      try {
        effects = state.end(lock, dirty);
        changed.signalAll();
      } finally {
        monitor.unlock();
      }
      run(effects);
    }
  }

  /** A clerk over {@code server}, registering itself as its listener. */
  public LockClerk(LockServer server, CacheHooks hooks) {
    this.server = server;
    this.hooks = hooks;
    server.listener(new ServerEvents());
  }

  /** The clerk's id at the lock server. */
  public String clerkId() {
    return server.clerkId();
  }

  /** Blocks until {@code lock} may be used in {@code mode} here. */
  public Held acquire(String lock, LockMode mode) throws InterruptedException {
    boolean admitted = false;
    try {
      while (true) {
        ClerkLocks.Step step;
        monitor.lock();
        try {
          step = state.begin(lock, mode);
          if (step.admitted()) {
            admitted = true;
            return new Held(lock, mode, step.token());
          }
          if (step.effects().isEmpty()) {
            changed.await();
            continue;
          }
        } finally {
          monitor.unlock();
        }
        run(step.effects());
      }
    } finally {
      if (!admitted && !state.dead()) {
        List<Effect> effects;
        monitor.lock();
        try {
          effects = state.dead() ? List.of() : state.abandon(lock);
        } finally {
          monitor.unlock();
        }
        run(effects);
      }
    }
  }

  /** Whether writes may be issued now (session alive and not suspended). */
  public boolean writable() {
    monitor.lock();
    try {
      return state.writable();
    } finally {
      monitor.unlock();
    }
  }

  /** Throws {@link LeaseLostException} unless writes may be issued now. */
  public void checkWritable() {
    if (!writable()) {
      throw new LeaseLostException("the clerk's session is suspended or expired: no writes");
    }
  }

  /** The lock cache for status output. */
  public List<ClerkLocks.LockView> view() {
    monitor.lock();
    try {
      return state.view();
    } finally {
      monitor.unlock();
    }
  }

  /** How many acquires went to the lock server (cold acquires). */
  public long serverAcquires() {
    return serverAcquires.get();
  }

  /** How many revokes this clerk has handled. */
  public long revokesHandled() {
    return revokesHandled.get();
  }

  private void retryRevokes() {
    try {
      run(feed(state::retryRevokes));
    } catch (LeaseLostException e) {
      log.debug("revoke retry stopped: {}", e.getMessage());
    }
  }

  /** Writes back and releases every idle lock (a clean shutdown does this before closing). */
  public void releaseAll() {
    List<Effect> effects = new ArrayList<>();
    monitor.lock();
    try {
      if (state.dead()) {
        return;
      }
      for (String lock : state.idleLocks()) {
        effects.addAll(state.evict(lock));
      }
    } finally {
      monitor.unlock();
    }
    run(effects);
  }

  /**
   * Writes back and releases every idle lock, then closes the server session cleanly. If the
   * session ends meanwhile (a release finds it expired), the clerk ends as a crashed one would: its
   * locks stay with the dead session until the recovery daemon has replayed its log; close does not
   * throw for that, and still closes the server session and its threads.
   */
  @Override
  public void close() {
    try {
      releaseAll();
    } catch (LeaseLostException e) {
      log.warn("clerk session ended while closing; its locks go to recovery: {}", e.getMessage());
    } finally {
      server.close();
      retry.shutdownNow();
    }
  }

  private void run(List<Effect> effects) {
    for (Effect e : effects) {
      try {
        List<Effect> next = execute(e);
        if (!next.isEmpty()) {
          run(next);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new LeaseLostException("interrupted while handling " + e);
      }
    }
  }

  private List<Effect> execute(Effect e) throws InterruptedException {
    if (e instanceof ClerkLocks.Acquire a) {
      long token;
      serverAcquires.incrementAndGet();
      try {
        token = server.acquire(a.lock(), a.mode());
      } catch (RuntimeException | InterruptedException ex) {
        feed(() -> state.dead() ? List.of() : state.acquireFailed(a.lock()));
        throw ex;
      }
      return feed(() -> state.granted(a.lock(), a.mode(), token));
    } else if (e instanceof ClerkLocks.WriteBack w) {
      try {
        hooks.writeBack(w.lock());
      } catch (RuntimeException ex) {
        // Lease suspended or store unavailable: keep the lock dirty, retry the revoke later.
        log.warn("write-back of {} failed, will retry: {}", w.lock(), ex.toString());
        feed(() -> state.writeBackFailed(w.lock()));
        retry.schedule(this::retryRevokes, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        return List.of();
      }
      return feed(() -> state.writtenBack(w.lock()));
    } else if (e instanceof ClerkLocks.DropCache d) {
      hooks.dropCache(d.lock());
      return List.of();
    } else if (e instanceof ClerkLocks.Release r) {
      server.release(r.lock());
      return feed(() -> state.released(r.lock()));
    } else if (e instanceof ClerkLocks.Downgrade d) {
      long token = server.downgrade(d.lock());
      return feed(() -> state.downgraded(d.lock(), token));
    } else if (e instanceof ClerkLocks.FailDirty f) {
      hooks.failDirty(f.lock());
      return List.of();
    }
    throw new IllegalStateException("unknown effect " + e);
  }

  private interface Transition {
    List<Effect> apply();
  }

  private List<Effect> feed(Transition t) {
    monitor.lock();
    try {
      if (state.dead()) {
        return List.of();
      }
      return t.apply();
    } finally {
      changed.signalAll();
      monitor.unlock();
    }
  }

  private final class ServerEvents implements LockServer.Listener {
    @Override
    public void revokeRequested(String lock, RevokeResponse response) {
      revokesHandled.incrementAndGet();
      try {
        run(feed(() -> state.revokeRequested(lock, response)));
      } catch (LeaseLostException e) {
        log.debug("revoke of {} not completed: {}", lock, e.getMessage());
      } catch (RuntimeException e) {
        log.warn("revoke of {} failed", lock, e);
        throw e;
      }
    }

    @Override
    public void suspended() {
      feed(
          () -> {
            state.suspended();
            return List.of();
          });
    }

    @Override
    public void resumed() {
      feed(
          () -> {
            state.resumed();
            return List.of();
          });
      retry.execute(LockClerk.this::retryRevokes);
    }

    @Override
    public void lost() {
      List<Effect> effects;
      monitor.lock();
      try {
        effects = state.sessionLost();
        changed.signalAll();
      } finally {
        monitor.unlock();
      }
      for (Effect e : effects) {
        if (e instanceof ClerkLocks.FailDirty f) {
          hooks.failDirty(f.lock());
        } else if (e instanceof ClerkLocks.DropCache d) {
          hooks.dropCache(d.lock());
        }
      }
    }
  }
}
