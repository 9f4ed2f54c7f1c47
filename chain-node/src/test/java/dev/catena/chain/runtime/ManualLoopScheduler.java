package dev.catena.chain.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link LoopScheduler} for single-threaded tests: tasks wait in a queue ordered by (virtual due
 * time, submission order) until the test runs them; blocking work runs in the same queue. Virtual
 * time moves only when a due task runs, so a test sees exactly which delays the code asked for.
 */
final class ManualLoopScheduler implements LoopScheduler {
  private record Task(long dueMillis, long seq, Runnable run) {}

  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.dueMillis != b.dueMillis
                  ? Long.compare(a.dueMillis, b.dueMillis)
                  : Long.compare(a.seq, b.seq));
  private final List<Long> delays = new ArrayList<>();
  private long nowMillis;
  private long seq;

  @Override
  public void execute(Runnable task) {
    queue.add(new Task(nowMillis, seq++, task));
  }

  @Override
  public void schedule(Runnable task, long delayMillis) {
    delays.add(delayMillis);
    queue.add(new Task(nowMillis + delayMillis, seq++, task));
  }

  @Override
  public void executeBlocking(Runnable task) {
    execute(task);
  }

  @Override
  public void executeRead(Runnable task) {
    execute(task);
  }

  @Override
  public long nanoTime() {
    return nowMillis * 1_000_000;
  }

  /** Runs tasks due at the current virtual time (and those they submit for now). */
  void runDue() {
    while (!queue.isEmpty() && queue.peek().dueMillis <= nowMillis) {
      queue.poll().run.run();
    }
  }

  /** Advances virtual time to the next delayed task and runs everything due then. */
  void runNextDelayed() {
    runDue();
    if (!queue.isEmpty()) {
      nowMillis = queue.peek().dueMillis;
      runDue();
    }
  }

  /** Moves virtual time forward without running anything (the loop is busy elsewhere). */
  void advanceMillis(long millis) {
    nowMillis += millis;
  }

  /** The delays passed to {@link #schedule}, in order. */
  List<Long> delays() {
    return delays;
  }
}
