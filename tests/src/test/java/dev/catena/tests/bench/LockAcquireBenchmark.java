package dev.catena.tests.bench;

import dev.catena.frangipani.clerk.CacheHooks;
import dev.catena.frangipani.clerk.LockClerk;
import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.zk.LockPaths;
import dev.catena.frangipani.zk.ZkLockServer;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;

/**
 * Lock acquire latency of the Frangipani lock service (a program, not a test): cold acquires (a
 * lock this clerk does not hold: ZooKeeper round trips), sticky re-acquires (held idle: no
 * ZooKeeper operation) and revoke round trips (two clerks taking one lock in turn: revoke, release,
 * grant). One in-process ZooKeeper server (Curator TestingServer), one session per clerk.
 *
 * <p>Usage: {@code LockAcquireBenchmark [--cold N] [--sticky N] [--pingpong N]}. Prints a Markdown
 * table of p50/p99/mean in microseconds (HdrHistogram) and the cold/sticky ratio of the p50s.
 */
public final class LockAcquireBenchmark {
  private LockAcquireBenchmark() {}

  public static void main(String[] args) throws Exception {
    int cold = 500;
    int sticky = 200_000;
    int pingpong = 300;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--cold" -> cold = Integer.parseInt(args[i + 1]);
        case "--sticky" -> sticky = Integer.parseInt(args[i + 1]);
        case "--pingpong" -> pingpong = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    try (TestingServer zk = new TestingServer(true);
        CuratorFramework za = client(zk);
        CuratorFramework zb = client(zk)) {
      LockClerk a =
          new LockClerk(
              new ZkLockServer(za, new LockPaths("bench", "bench"), "a").start(), CacheHooks.NONE);
      LockClerk b =
          new LockClerk(
              new ZkLockServer(zb, new LockPaths("bench", "bench"), "b").start(), CacheHooks.NONE);

      Histogram coldH = new Histogram(3);
      for (int i = -50; i < cold; i++) {
        long t0 = System.nanoTime();
        a.acquire("cold" + (i + 50), LockMode.EXCLUSIVE).close();
        long dt = System.nanoTime() - t0;
        if (i >= 0) {
          coldH.recordValue(dt);
        }
        a.releaseAll();
      }

      Histogram stickyH = new Histogram(3);
      a.acquire("hot", LockMode.EXCLUSIVE).close();
      for (int i = -10_000; i < sticky; i++) {
        long t0 = System.nanoTime();
        a.acquire("hot", LockMode.EXCLUSIVE).close();
        long dt = System.nanoTime() - t0;
        if (i >= 0) {
          stickyH.recordValue(dt);
        }
      }

      Histogram revokeH = new Histogram(3);
      for (int i = -20; i < pingpong; i++) {
        LockClerk next = (i & 1) == 0 ? b : a;
        long t0 = System.nanoTime();
        next.acquire("pp", LockMode.EXCLUSIVE).close();
        long dt = System.nanoTime() - t0;
        if (i >= 0) {
          revokeH.recordValue(dt);
        }
      }

      System.out.println("| acquire | n | p50 µs | p99 µs | mean µs |");
      System.out.println("|---|---:|---:|---:|---:|");
      row("cold (ZooKeeper)", coldH);
      row("sticky (held idle)", stickyH);
      row("revoke round trip (clean)", revokeH);
      System.out.printf(
          Locale.ROOT,
          "%ncold/sticky p50 ratio: %.0fx%n",
          (double) coldH.getValueAtPercentile(50) / stickyH.getValueAtPercentile(50));
      a.close();
      b.close();
    }
  }

  private static void row(String name, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.1f | %.1f | %.1f |%n",
        name,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMean() / 1000.0);
  }

  private static CuratorFramework client(TestingServer zk) {
    CuratorFramework c =
        CuratorFrameworkFactory.newClient(
            zk.getConnectString(), new ExponentialBackoffRetry(50, 5));
    c.start();
    return c;
  }
}
