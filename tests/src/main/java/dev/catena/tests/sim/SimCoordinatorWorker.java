package dev.catena.tests.sim;

import java.util.concurrent.Executor;

/**
 * The worker the real {@link dev.catena.config.Coordinator} runs on in the simulation: each task
 * runs one ZooKeeper round trip after it was submitted (the notification's way to the coordinator),
 * in submission order, on the simulation's scheduler. Knows whether work is pending, so a run can
 * wait for the coordinator to be idle.
 */
final class SimCoordinatorWorker implements Executor {
  private final SimWorld world;
  private long lastAt;
  private int pending;

  SimCoordinatorWorker(SimWorld world) {
    this.world = world;
  }

  @Override
  public void execute(Runnable task) {
    long now = world.clock.nanos();
    long at = Math.max(now + world.zkDelay(), lastAt); // FIFO: never before an earlier task
    lastAt = at;
    pending++;
    world.scheduler.after(
        at - now,
        "coordinator",
        () -> {
          pending--;
          task.run();
        });
  }

  /** True if no coordinator task is waiting to run. */
  boolean idle() {
    return pending == 0;
  }
}
