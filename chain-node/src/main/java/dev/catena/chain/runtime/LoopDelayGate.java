package dev.catena.chain.runtime;

/**
 * Tells, from how long admitted client calls waited for the event loop, whether the node has a
 * standing queue and should refuse new calls at the door ({@code OVERLOADED}) instead of letting
 * them wait until their deadlines pass. The rule is CoDel's: the node is overloaded while the
 * <i>shortest</i> wait seen in the last interval exceeds the target — a burst that drains within an
 * interval never trips it, a queue that does not drain does. A verdict older than an interval
 * lapses (calls are admitted again, and the next dispatched one starts a new verdict), so a node
 * that refused everything cannot stay refusing with nothing left to observe.
 *
 * <p>Pure: time is passed in. {@link #observe} runs on the loop thread; {@link #admits} may be
 * called from any thread.
 */
final class LoopDelayGate {
  /**
   * Default target: the shortest wait a healthy loop keeps below. Generous, so that a GC pause or a
   * machine shared with other work does not refuse calls; a queue that lasts is what it is for.
   */
  static final long DEFAULT_TARGET_NANOS = 100_000_000L;

  /** Default interval over which the shortest wait is taken. */
  static final long DEFAULT_INTERVAL_NANOS = 500_000_000L;

  private final long targetNanos;
  private final long intervalNanos;
  private long windowStart;
  private long windowMin = Long.MAX_VALUE;
  private volatile long lastMin;
  private volatile boolean overloaded;
  private volatile long verdictAt;

  LoopDelayGate(long targetNanos, long intervalNanos, long nowNanos) {
    if (targetNanos <= 0 || intervalNanos <= 0) {
      throw new IllegalArgumentException("target and interval must be positive");
    }
    this.targetNanos = targetNanos;
    this.intervalNanos = intervalNanos;
    this.windowStart = nowNanos;
    this.verdictAt = nowNanos;
  }

  /** A call admitted at {@code admittedNanos} is dispatched by the loop at {@code nowNanos}. */
  void observe(long admittedNanos, long nowNanos) {
    windowMin = Math.min(windowMin, Math.max(0, nowNanos - admittedNanos));
    tick(nowNanos);
  }

  private void tick(long nowNanos) {
    if (nowNanos - windowStart < intervalNanos) {
      return;
    }
    boolean seen = windowMin != Long.MAX_VALUE;
    lastMin = seen ? windowMin : 0;
    overloaded = seen && windowMin > targetNanos;
    verdictAt = nowNanos;
    windowStart = nowNanos;
    windowMin = Long.MAX_VALUE;
  }

  /** False while new calls should be refused (the last verdict, within an interval, said so). */
  boolean admits(long nowNanos) {
    return !overloaded || nowNanos - verdictAt > intervalNanos;
  }

  /** The shortest wait of the last closed interval (0 if none), for the refusal's message. */
  long lastShortestWaitNanos() {
    return lastMin;
  }

  long targetNanos() {
    return targetNanos;
  }
}
