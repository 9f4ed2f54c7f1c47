package dev.catena.chain.runtime;

/**
 * The world a {@link NodeRuntime} runs in: its event loop, its timers, where blocking work goes and
 * its monotonic clock. Production uses {@link ThreadLoopScheduler} (one loop thread, one timer
 * thread, a pool for blocking work); a deterministic simulation supplies one that runs everything
 * from its own event queue in virtual time.
 *
 * <p>Contract: tasks passed to {@link #execute} and {@link #schedule} run one at a time, never
 * concurrently with each other, and tasks passed to {@link #execute} run in submission order. After
 * the scheduler is closed, submitted tasks are dropped silently (late callbacks from streams and
 * storage must not fail).
 */
public interface LoopScheduler {

  /** Runs {@code task} on the event loop after every task submitted before it. Any thread. */
  void execute(Runnable task);

  /** Runs {@code task} on the event loop once {@code delayMillis} have passed. Any thread. */
  void schedule(Runnable task, long delayMillis);

  /**
   * Runs {@code task} off the event loop: work that blocks (a snapshot install, a failure handler
   * that closes a ZooKeeper session). Any thread.
   */
  void executeBlocking(Runnable task);

  /**
   * Runs {@code task} off the event loop on the reader pool: a client read of pinned state (short,
   * never blocks on writes). Any thread.
   */
  void executeRead(Runnable task);

  /** Monotonic time in nanoseconds (only differences are meaningful). */
  long nanoTime();
}
