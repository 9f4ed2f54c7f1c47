package dev.catena.tests.sim;

import java.util.PriorityQueue;

/**
 * The event queue of a simulation: actions ordered by (virtual time, insertion sequence), so two
 * actions due at the same instant run in the order they were scheduled. Running an action is one
 * <i>step</i>; the step's label goes to the {@link SimTrace}.
 */
public final class SimScheduler {
  private record Scheduled(long at, long seq, String label, Runnable action)
      implements Comparable<Scheduled> {
    @Override
    public int compareTo(Scheduled o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final SimClock clock;
  private final SimTrace trace;
  private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
  private long nextSeq;
  private long steps;

  SimScheduler(SimClock clock, SimTrace trace) {
    this.clock = clock;
    this.trace = trace;
  }

  /** Schedules {@code action} {@code delayNanos} from now. */
  public void after(long delayNanos, String label, Runnable action) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("negative delay " + delayNanos);
    }
    queue.add(new Scheduled(clock.nanos() + delayNanos, nextSeq++, label, action));
  }

  /** True if nothing is scheduled. */
  public boolean idle() {
    return queue.isEmpty();
  }

  /** Time of the next action, or {@code Long.MAX_VALUE} if none. */
  public long nextTime() {
    Scheduled s = queue.peek();
    return s == null ? Long.MAX_VALUE : s.at;
  }

  /** Runs the next action; returns false if there was none. */
  public boolean step() {
    Scheduled s = queue.poll();
    if (s == null) {
      return false;
    }
    clock.advanceTo(s.at);
    steps++;
    trace.add(s.at + " " + s.label);
    s.action.run();
    return true;
  }

  /** Steps executed so far. */
  public long steps() {
    return steps;
  }
}
