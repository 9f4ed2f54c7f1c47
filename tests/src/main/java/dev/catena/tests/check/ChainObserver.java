package dev.catena.tests.check;

import dev.catena.config.ClusterStateException;
import dev.catena.deploy.zk.ClusterAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Records every distinct published configuration of every chain, polling the cluster state at a
 * fixed rate on its own thread, so that a test can assert the order of reconfigurations (e.g. "the
 * first configuration without the failed node kept the others in order"). Polling can miss a
 * configuration that lived shorter than the interval.
 */
public final class ChainObserver implements AutoCloseable {
  private final Supplier<ClusterAdmin.Status> status;
  private final List<ClusterAdmin.ChainStatus> seen = new ArrayList<>();
  private final ScheduledExecutorService executor;

  /** Starts polling {@code status} every {@code intervalMillis}. */
  public ChainObserver(Supplier<ClusterAdmin.Status> status, long intervalMillis) {
    this.status = status;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chain-observer");
              t.setDaemon(true);
              return t;
            });
    poll();
    executor.scheduleAtFixedRate(this::poll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    ClusterAdmin.Status s;
    try {
      s = status.get();
    } catch (ClusterStateException e) {
      return; // ZooKeeper hiccup: the next poll reads again
    }
    synchronized (seen) {
      for (ClusterAdmin.ChainStatus c : s.chains()) {
        if (!seen.contains(c)) {
          seen.add(c);
        }
      }
    }
  }

  /** Every distinct configuration of {@code chainId} seen so far, in the order first seen. */
  public List<ClusterAdmin.ChainStatus> history(int chainId) {
    synchronized (seen) {
      return seen.stream().filter(c -> c.chainId() == chainId).toList();
    }
  }

  /** Every distinct configuration of every chain seen so far. */
  public List<ClusterAdmin.ChainStatus> all() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** True if {@code node} was seen SYNCING in some chain. */
  public boolean sawSyncing(String node) {
    return all().stream().anyMatch(c -> c.syncing().contains(node));
  }

  /**
   * The first configuration of {@code chainId} whose members and syncing list omit {@code node}.
   */
  public ClusterAdmin.ChainStatus firstWithout(int chainId, String node) {
    return history(chainId).stream()
        .filter(c -> !c.members().contains(node) && !c.syncing().contains(node))
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdownNow();
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("chain observer did not stop");
    }
  }
}
