package dev.catena.frangipani.lock;

import dev.catena.frangipani.lock.LockQueue.RevokeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A clerk's lock cache (Frangipani §5: lock → busy | idle), as a pure state machine: the caller
 * feeds it local operations and server events and executes the {@link Effect}s it returns, in
 * order. No I/O, threads or clocks.
 *
 * <p>Per lock: {@code ACQUIRING} (asked the server) → {@code HELD} (sticky: it stays held when its
 * users finish, with no message to the server) → on revoke, once no local user is left: {@code
 * WRITING_BACK} (flush the log, then write back dirty metadata) → {@code RELEASING} (cache dropped,
 * release sent) → gone; or, if only readers wait and it was held exclusively, {@code DOWNGRADING} →
 * {@code HELD} shared, keeping the cache.
 *
 * <p>Invariants: a local exclusive user never runs with another local user of the same lock; a lock
 * is released only after its dirty data was written back and its cache dropped (so whoever is
 * granted it next reads every change made under it); after a revoke request no new local user is
 * admitted except the one whose request caused the grant (the current operation finishes, then the
 * lock goes). After {@link #sessionLost()} every call fails with {@link LeaseLostException}.
 */
public final class ClerkLocks {
  /** Where a lock is in its life at this clerk. */
  public enum Phase {
    ACQUIRING,
    HELD,
    WRITING_BACK,
    DOWNGRADING,
    RELEASING
  }

  /** An action the caller must carry out; its completion is fed back as the named event. */
  public sealed interface Effect {
    /** The lock the effect is about. */
    String lock();
  }

  /** Ask the server for the lock; feed back {@link #granted} or {@link #acquireFailed}. */
  public record Acquire(String lock, LockMode mode) implements Effect {}

  /**
   * Flush the log, then write back the dirty data under the lock; feed back {@link #writtenBack}.
   */
  public record WriteBack(String lock) implements Effect {}

  /** Forget the cached data under the lock (it may change elsewhere once released). */
  public record DropCache(String lock) implements Effect {}

  /** Give the lock back to the server; feed back {@link #released}. */
  public record Release(String lock) implements Effect {}

  /** Turn the exclusive grant into a shared one; feed back {@link #downgraded}. */
  public record Downgrade(String lock) implements Effect {}

  /** Fail the callers whose updates under the lock were not written back (lease lost). */
  public record FailDirty(String lock) implements Effect {}

  /** Result of {@link #begin}: admitted (with the grant's token) or not yet, plus effects. */
  public record Step(boolean admitted, long token, List<Effect> effects) {
    static Step waiting(List<Effect> effects) {
      return new Step(false, 0, effects);
    }

    static Step of(List<Effect> effects) {
      return new Step(false, 0, effects);
    }
  }

  /** A read-only view of one lock for status output. */
  public record LockView(
      String lock, Phase phase, LockMode mode, long token, int users, boolean dirty) {}

  private static final class State {
    Phase phase;
    LockMode mode;
    long token;
    int users;
    boolean localWriter;
    boolean dirty;
    boolean freshGrant;
    RevokeResponse revoke;
    boolean releaseAfterDowngrade;
  }

  private final Map<String, State> locks = new TreeMap<>();
  private boolean dead;
  private boolean suspended;

  /**
   * A local operation wants {@code lock} in {@code mode}. If admitted, the caller must call {@link
   * #end} when done; otherwise it carries out the effects and calls again after the next event.
   */
  public Step begin(String lock, LockMode mode) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null) {
      s = new State();
      s.phase = Phase.ACQUIRING;
      s.mode = mode;
      locks.put(lock, s);
      return Step.waiting(List.of(new Acquire(lock, mode)));
    }
    if (s.phase != Phase.HELD || (s.revoke != null && !s.freshGrant)) {
      return Step.waiting(List.of());
    }
    if (!s.mode.covers(mode)) {
      // Upgrade shared → exclusive: release (a shared holder has nothing dirty), ask again.
      if (s.users > 0) {
        return Step.waiting(List.of());
      }
      s.phase = Phase.RELEASING;
      return Step.waiting(List.of(new DropCache(lock), new Release(lock)));
    }
    if (s.localWriter || (mode == LockMode.EXCLUSIVE && s.users > 0)) {
      return Step.waiting(List.of());
    }
    s.users++;
    s.localWriter = mode == LockMode.EXCLUSIVE;
    s.freshGrant = false;
    return new Step(true, s.token, List.of());
  }

  /**
   * A local user admitted by {@link #begin} is done; {@code dirty} if it left unwritten updates.
   */
  public List<Effect> end(String lock, boolean dirty) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.users == 0) {
      throw new IllegalStateException("end without begin: " + lock);
    }
    s.users--;
    s.localWriter = false;
    if (dirty) {
      if (s.mode != LockMode.EXCLUSIVE) {
        throw new IllegalStateException("dirty data under a shared lock: " + lock);
      }
      s.dirty = true;
    }
    return maybeStartRevoke(lock, s);
  }

  /** A waiting local operation gave up before being admitted; lets a pending revoke proceed. */
  public List<Effect> abandon(String lock) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.phase != Phase.HELD) {
      return List.of();
    }
    s.freshGrant = false;
    return maybeStartRevoke(lock, s);
  }

  /** The server granted {@code lock} in {@code mode} with fencing token {@code token}. */
  public List<Effect> granted(String lock, LockMode mode, long token) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.phase != Phase.ACQUIRING) {
      throw new IllegalStateException("grant of " + lock + " not asked for");
    }
    s.phase = Phase.HELD;
    s.mode = mode;
    s.token = token;
    s.freshGrant = true;
    return List.of();
  }

  /** The server could not grant {@code lock}; waiting operations will ask again. */
  public List<Effect> acquireFailed(String lock) {
    checkAlive();
    State s = locks.get(lock);
    if (s != null && s.phase == Phase.ACQUIRING) {
      locks.remove(lock);
    }
    return List.of();
  }

  /**
   * Another clerk wants {@code lock}: once idle, write back and release it, or downgrade it if
   * {@code response} says only readers wait. Stale requests (lock not held) are ignored.
   */
  public List<Effect> revokeRequested(String lock, RevokeResponse response) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.phase == Phase.RELEASING) {
      return List.of();
    }
    if (s.phase == Phase.DOWNGRADING || s.phase == Phase.WRITING_BACK) {
      if (response == RevokeResponse.RELEASE) {
        s.releaseAfterDowngrade = true;
        s.revoke = RevokeResponse.RELEASE;
      }
      return List.of();
    }
    if (s.revoke == null || response == RevokeResponse.RELEASE) {
      s.revoke = response;
    }
    if (s.phase == Phase.ACQUIRING) {
      return List.of();
    }
    return maybeStartRevoke(lock, s);
  }

  /**
   * Stop caching {@code lock} although nobody asked (e.g. too many idle locks): as a revoke with
   * {@link RevokeResponse#RELEASE}.
   */
  public List<Effect> evict(String lock) {
    return revokeRequested(lock, RevokeResponse.RELEASE);
  }

  /** The log was flushed and the dirty data under {@code lock} written back. */
  public List<Effect> writtenBack(String lock) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.phase != Phase.WRITING_BACK) {
      throw new IllegalStateException("write-back of " + lock + " not asked for");
    }
    s.dirty = false;
    return finishRevoke(lock, s);
  }

  /**
   * The write-back of {@code lock} failed (lease suspended, store unavailable): the lock stays
   * held, dirty, with its revoke pending; {@link #retryRevokes} starts the write-back again.
   */
  public List<Effect> writeBackFailed(String lock) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.phase != Phase.WRITING_BACK) {
      throw new IllegalStateException("write-back of " + lock + " not in progress");
    }
    s.phase = Phase.HELD;
    return List.of();
  }

  /** Starts again every pending revoke whose lock is idle (after a failed write-back). */
  public List<Effect> retryRevokes() {
    checkAlive();
    List<Effect> out = new ArrayList<>();
    for (var e : locks.entrySet()) {
      out.addAll(maybeStartRevoke(e.getKey(), e.getValue()));
    }
    return out;
  }

  /** The server removed this clerk's grant of {@code lock}. */
  public List<Effect> released(String lock) {
    checkAlive();
    State s = locks.get(lock);
    if (s != null && s.phase == Phase.RELEASING) {
      locks.remove(lock);
    }
    return List.of();
  }

  /** The server holds {@code lock} for this clerk in shared mode now, with a new token. */
  public List<Effect> downgraded(String lock, long token) {
    checkAlive();
    State s = locks.get(lock);
    if (s == null || s.phase != Phase.DOWNGRADING) {
      throw new IllegalStateException("downgrade of " + lock + " not asked for");
    }
    s.phase = Phase.HELD;
    s.mode = LockMode.SHARED;
    s.token = token;
    s.revoke = s.releaseAfterDowngrade ? RevokeResponse.RELEASE : null;
    s.releaseAfterDowngrade = false;
    return maybeStartRevoke(lock, s);
  }

  /** The session is suspended (connection lost, not yet expired): no writes until resumed. */
  public void suspended() {
    suspended = true;
  }

  /** The session is connected again (same session): writes may resume. */
  public void resumed() {
    suspended = false;
  }

  /** Whether the clerk may issue writes now (alive and not suspended). */
  public boolean writable() {
    return !dead && !suspended;
  }

  /**
   * The session expired: every lock is gone. Returns {@link FailDirty} for each lock with dirty
   * data, then {@link DropCache} for every lock; later calls throw {@link LeaseLostException}.
   */
  public List<Effect> sessionLost() {
    if (dead) {
      return List.of();
    }
    dead = true;
    List<Effect> out = new ArrayList<>();
    for (var e : locks.entrySet()) {
      if (e.getValue().dirty) {
        out.add(new FailDirty(e.getKey()));
      }
    }
    for (String lock : locks.keySet()) {
      out.add(new DropCache(lock));
    }
    locks.clear();
    return out;
  }

  /** Whether the session was lost. */
  public boolean dead() {
    return dead;
  }

  /** The mode this clerk holds {@code lock} in (HELD phase only), or null. */
  public LockMode heldMode(String lock) {
    State s = locks.get(lock);
    return s != null && s.phase == Phase.HELD ? s.mode : null;
  }

  /** Locks held and idle (no local user, no revoke in progress), in name order. */
  public List<String> idleLocks() {
    List<String> out = new ArrayList<>();
    for (var e : locks.entrySet()) {
      State s = e.getValue();
      if (s.phase == Phase.HELD && s.users == 0 && s.revoke == null) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /** A snapshot of every lock this clerk knows, in name order. */
  public List<LockView> view() {
    List<LockView> out = new ArrayList<>();
    for (var e : locks.entrySet()) {
      State s = e.getValue();
      out.add(new LockView(e.getKey(), s.phase, s.mode, s.token, s.users, s.dirty));
    }
    return out;
  }

  private List<Effect> maybeStartRevoke(String lock, State s) {
    if (s.phase != Phase.HELD || s.revoke == null || s.users > 0 || s.freshGrant) {
      return List.of();
    }
    if (s.dirty) {
      s.phase = Phase.WRITING_BACK;
      return List.of(new WriteBack(lock));
    }
    return finishRevoke(lock, s);
  }

  private List<Effect> finishRevoke(String lock, State s) {
    if (s.revoke == RevokeResponse.DOWNGRADE
        && s.mode == LockMode.EXCLUSIVE
        && !s.releaseAfterDowngrade) {
      s.phase = Phase.DOWNGRADING;
      return List.of(new Downgrade(lock));
    }
    s.phase = Phase.RELEASING;
    return List.of(new DropCache(lock), new Release(lock));
  }

  private void checkAlive() {
    if (dead) {
      throw new LeaseLostException("the clerk's session expired");
    }
  }
}
