package dev.catena.frangipani.clerk;

import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.lock.LockQueue.RevokeResponse;

/**
 * The lock server as one clerk sees it: a blocking, fair, shared/exclusive lock service whose
 * grants carry fencing tokens, and which tells the clerk when another clerk wants a lock it holds.
 *
 * <p>Contract: {@link #acquire} returns only once the lock is granted (after asking every
 * incompatible holder ahead to give way) and no dead clerk's log awaits recovery; the token it
 * returns is larger than that of every earlier grant of the lock. {@link #release} and {@link
 * #downgrade} act on a lock this clerk holds. Events are delivered to the {@link Listener} on
 * threads that may block (a listener may call {@link #release} from them).
 */
public interface LockServer extends AutoCloseable {
  /** What the server tells the clerk. */
  interface Listener {
    /** Another clerk wants {@code lock}: give it up or downgrade it, as {@code response} says. */
    void revokeRequested(String lock, RevokeResponse response);

    /** The session is suspended: stop issuing writes. */
    void suspended();

    /** The same session is connected again. */
    void resumed();

    /** The session expired: every lock is gone. */
    void lost();
  }

  /** This clerk's id (unique per clerk incarnation). */
  String clerkId();

  /** Sets the listener; call once, before the first acquire. */
  void listener(Listener listener);

  /** Blocks until {@code lock} is granted in {@code mode}; returns the grant's fencing token. */
  long acquire(String lock, LockMode mode) throws InterruptedException;

  /** Gives {@code lock} back. */
  void release(String lock) throws InterruptedException;

  /** Turns the exclusive grant of {@code lock} into a shared one; returns the new token. */
  long downgrade(String lock) throws InterruptedException;

  /**
   * Releases every lock, then declares this clerk's log fully written back (no recovery needed) and
   * ends its liveness. Call only after every dirty update was written back.
   */
  @Override
  void close();
}
