package dev.catena.tests.sim;

import dev.catena.config.LeaderElection;
import java.util.concurrent.Executor;

/**
 * The election of the simulation's single coordinator: it gains the leadership as soon as it joins
 * and keeps it (the simulation runs one coordinator; standbys and takeovers are tested against
 * ZooKeeper in config-manager).
 */
final class SimLeaderElection implements LeaderElection {
  private boolean leader;

  @Override
  public void start(Listener listener, Executor executor) {
    leader = true;
    executor.execute(listener::isLeader);
  }

  @Override
  public boolean hasLeadership() {
    return leader;
  }

  @Override
  public String id() {
    return "sim-coordinator";
  }

  @Override
  public void close() {
    leader = false;
  }
}
