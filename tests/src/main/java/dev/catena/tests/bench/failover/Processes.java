package dev.catena.tests.bench.failover;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Stopping the OS processes a benchmark started. */
public final class Processes {
  private Processes() {}

  /**
   * Sends SIGTERM to every process, waits up to 10 s for each, then SIGKILLs the ones still alive
   * (waiting up to 5 s more). If interrupted, kills the rest at once and keeps the interrupt flag.
   */
  public static void stopAll(Collection<Process> processes) {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
