package dev.catena.tests.sim;

/**
 * Virtual time of a simulation, in nanoseconds. Only the {@link SimScheduler} moves it, and only
 * forward; nothing in a simulation reads the wall clock.
 */
public final class SimClock {
  private long now;

  /** Current virtual time in nanoseconds. */
  public long nanos() {
    return now;
  }

  void advanceTo(long t) {
    if (t < now) {
      throw new IllegalStateException("time moves backwards: " + t + " < " + now);
    }
    now = t;
  }
}
