package dev.catena.tests.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes a {@link NemesisPlanner} schedule against a {@link FaultCluster} on its own thread until
 * {@link #stop()}; logs every fault with its time since start. Faults are sent only to the
 * cluster's own child processes. A partition needs a cluster whose nodes run in network namespaces
 * ({@link FaultCluster#startInNamespaces}); it is installed, held, and healed within its step (also
 * when the nemesis is stopped or fails meanwhile), and both the cut and the heal are logged. On a
 * cluster without namespaces a partition step is skipped with one message.
 */
public final class Nemesis {
  private final FaultCluster cluster;
  private final NemesisPlanner planner;
  private final PrintStream log;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final long start = System.nanoTime();
  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger pauses = new AtomicInteger();
  private final AtomicInteger partitions = new AtomicInteger();
  private final AtomicInteger restarts = new AtomicInteger();
  private final AtomicInteger replacements = new AtomicInteger();
  private boolean partitionReported;
  private Thread thread;
  private volatile Throwable failure;

  public Nemesis(FaultCluster cluster, NemesisPlanner planner, PrintStream log) {
    this.cluster = cluster;
    this.planner = planner;
    this.log = log;
  }

  /** Starts the schedule thread. */
  public void start() {
    thread = new Thread(this::loop, "nemesis");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops injecting (a pause in progress is ended with SIGCONT first) and waits for the thread. */
  public void stop() throws InterruptedException {
    stop.countDown();
    if (thread != null) {
      thread.join(TimeUnit.MINUTES.toMillis(2));
    }
    if (failure != null) {
      throw new IllegalStateException("nemesis failed: " + failure, failure);
    }
  }

  /** Every fault injected so far, one line each. */
  public List<String> events() {
    return List.copyOf(events);
  }

  private void loop() {
    try {
      while (stop.getCount() > 0) {
        NemesisPlanner.Step step =
            planner.next(cluster.nodeIds(), cluster.killed(), cluster.paused());
        execute(step);
        if (stop.await(step.gapAfter().toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
      event("nemesis error: " + e);
    }
  }

  private void execute(NemesisPlanner.Step step) throws InterruptedException {
    String node = step.node();
    switch (step.action()) {
      case KILL -> {
        long pid = cluster.pid(node);
        cluster.kill(node);
        kills.incrementAndGet();
        event("kill -9 " + node + " (pid " + pid + ")");
      }
      case PAUSE -> {
        long pid = cluster.pid(node);
        cluster.pause(node);
        pauses.incrementAndGet();
        event("SIGSTOP " + node + " (pid " + pid + ") for " + step.hold().toMillis() + " ms");
        stop.await(step.hold().toMillis(), TimeUnit.MILLISECONDS);
        cluster.resume(node);
        event("SIGCONT " + node + " (pid " + pid + ")");
      }
      case RESTART -> {
        cluster.restart(node);
        restarts.incrementAndGet();
        event("restart " + node + " (pid " + cluster.pid(node) + ") on its old data");
      }
      case REPLACE -> {
        cluster.replace(node);
        replacements.incrementAndGet();
        event("replace " + node + " (pid " + cluster.pid(node) + ") with its data wiped");
      }
      case PARTITION -> partition(step);
      case IDLE -> {}
    }
  }

  private void partition(NemesisPlanner.Step step) throws InterruptedException {
    if (!cluster.partitionable()) {
      if (!partitionReported) {
        partitionReported = true;
        event("nemesis partition skipped: the nodes do not run in network namespaces");
      }
      return;
    }
    Partition p = step.partition();
    try {
      cluster.partition(p);
      partitions.incrementAndGet();
      event("partition " + p.describe() + " for " + step.hold().toMillis() + " ms");
      stop.await(step.hold().toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      List<String> healed = cluster.healPartition();
      if (!healed.isEmpty()) {
        event("heal partition: flushed iptables rules in " + String.join(", ", healed));
      }
    }
  }

  /** How many partitions were installed so far. */
  public int partitions() {
    return partitions.get();
  }

  /** How many times the nemesis did each thing so far. */
  public NemesisCounts counts() {
    return new NemesisCounts(
        kills.get(), pauses.get(), partitions.get(), restarts.get(), replacements.get());
  }

  private void event(String text) {
    String line =
        String.format(
            "nemesis t=%.1fs %s", (System.nanoTime() - start) / 1e9, text.replace('\n', ' '));
    events.add(line);
    log.println(line);
  }
}
