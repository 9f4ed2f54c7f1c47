package dev.catena.config;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A node's self-fencing lease (DESIGN §4 invariant 7, §4a "Zombies"): valid while the last
 * successful round-trip to the metadata store <em>started</em> less than {@code duration} ago, on a
 * monotonic clock. The duration is shorter than the session timeout, so a node whose lease is valid
 * still holds its session: the coordinator cannot yet have replaced it. A node frozen (GC, SIGSTOP)
 * wakes with an expired lease and refuses requests before any connection event reaches it.
 *
 * <p>Renewals use the time the round-trip was <em>sent</em>, never the time its answer arrived (the
 * conservative end). {@link #revoke()} discards every renewal sent before it, so an answer that
 * belongs to a lost session cannot revive the lease. Thread-safe; pure (the clock is injected).
 */
public final class Lease {
  private final long configuredNanos;
  private volatile long durationNanos;
  private final LongSupplier nanoClock;
  private long lastSentNanos;
  private boolean renewed;
  private long floorNanos;
  private boolean floorSet;

  /**
   * @param durationNanos lease duration, {@code > 0}
   * @param nanoClock monotonic time source in nanoseconds (e.g. {@code System::nanoTime})
   */
  public Lease(long durationNanos, LongSupplier nanoClock) {
    if (durationNanos <= 0) {
      throw new IllegalArgumentException("lease duration must be > 0: " + durationNanos);
    }
    this.configuredNanos = durationNanos;
    this.durationNanos = durationNanos;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  public long durationNanos() {
    return durationNanos;
  }

  /**
   * Caps the lease at {@code maxNanos} (never above the configured duration): called with the bound
   * derived from the session timeout the server actually granted, which may be lower than the one
   * requested. Takes effect for the current renewal too.
   */
  public void limitTo(long maxNanos) {
    if (maxNanos <= 0) {
      throw new IllegalArgumentException("lease bound must be > 0: " + maxNanos);
    }
    durationNanos = Math.min(configuredNanos, maxNanos);
  }

  /** Current reading of the injected clock. */
  public long now() {
    return nanoClock.getAsLong();
  }

  /**
   * Records a successful round-trip that was sent at {@code sentAtNanos}. Older renewals than the
   * current one and renewals sent before the last {@link #revoke()} are ignored.
   */
  public synchronized void renew(long sentAtNanos) {
    if (floorSet && sentAtNanos - floorNanos < 0) {
      return;
    }
    if (!renewed || sentAtNanos - lastSentNanos > 0) {
      lastSentNanos = sentAtNanos;
      renewed = true;
    }
  }

  /** Invalidates the lease now; only round-trips sent from now on can renew it. */
  public synchronized void revoke() {
    renewed = false;
    floorNanos = nanoClock.getAsLong();
    floorSet = true;
  }

  /** True if a round-trip sent less than the lease duration ago succeeded. */
  public synchronized boolean isValid() {
    return renewed && nanoClock.getAsLong() - lastSentNanos < durationNanos;
  }
}
