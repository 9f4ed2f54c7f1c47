package dev.catena.tests.bench;

import dev.catena.client.CatenaClient;
import dev.catena.frangipani.clerk.LockClerk;
import dev.catena.frangipani.fs.FileSystem;
import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.zk.FrangipaniMount;
import dev.catena.tests.cluster.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Namespace throughput and revoke costs of Frangipani on Catena (a program, not a test), on one
 * in-process cluster (ZooKeeper, coordinator, 3 nodes with LevelDB and gRPC on localhost, chains of
 * 3):
 *
 * <ul>
 *   <li>ops/s for 1 clerk, 4 clerks on disjoint directories and 4 clerks on one shared directory;
 *       an operation is {@code write} of a new 100-byte file (3 in 4) or {@code stat} of one
 *       written before (1 in 4); with the revokes the clerks handled and their cold acquires;
 *   <li>revoke round trip: two clerks taking one lock in turn with nothing dirty, and two clerks
 *       writing one file in turn (every acquire revokes a lock whose holder must write its inode
 *       back first), next to the same write repeated by one clerk (sticky: no revoke).
 * </ul>
 *
 * <p>Usage: {@code NamespaceBenchmark [--ops N] [--pingpong N] [--seconds S]}: N operations per
 * clerk and phase, each phase bounded by S seconds. Prints Markdown tables (HdrHistogram).
 */
public final class NamespaceBenchmark {
  private NamespaceBenchmark() {}

  record Phase(String name, int clerks, boolean shared) {}

  public static void main(String[] args) throws Exception {
    int ops = 300;
    int pingpong = 200;
    int seconds = 120;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--ops" -> ops = Integer.parseInt(args[i + 1]);
        case "--pingpong" -> pingpong = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("catena-ns-bench");
    try (InProcessCluster cluster =
        InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start()) {
      cluster.awaitReady();
      try (CatenaClient client = cluster.client()) {
        System.out.println(
            "| clerks | directories | ops | seconds | ops/s | p50 ms | p99 ms | revokes | cold acquires |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        int bucketNo = 0;
        for (Phase p :
            List.of(
                new Phase("1 clerk", 1, false),
                new Phase("4 clerks, disjoint", 4, false),
                new Phase("4 clerks, shared", 4, true))) {
          throughput(cluster, client, "ns-bench-" + bucketNo++, p, ops, seconds);
        }
        revokes(cluster, client, "ns-bench-revoke", pingpong);
      }
    }
  }

  private static FrangipaniMount mount(InProcessCluster c, CatenaClient client, String b, long s)
      throws Exception {
    return FrangipaniMount.open(
        c.connectString(),
        c.clusterName(),
        client,
        b,
        Duration.ofSeconds(20),
        new SplittableRandom(s));
  }

  private static void throughput(
      InProcessCluster cluster, CatenaClient client, String bucket, Phase p, int ops, int seconds)
      throws Exception {
    List<FrangipaniMount> mounts = new ArrayList<>();
    for (int i = 0; i < p.clerks(); i++) {
      mounts.add(mount(cluster, client, bucket, i + 1));
    }
    for (int i = 0; i < p.clerks(); i++) {
      String d = p.shared() ? "/shared" : "/d" + i;
      FileSystem fs = mounts.get(i).fs();
      if (!p.shared() || i == 0) {
        fs.mkdir(d);
      }
      fs.write(d + "/warm-" + i, new byte[100]); // first cold acquires out of the measurement
    }
    long revokes0 = 0;
    long acquires0 = 0;
    for (FrangipaniMount m : mounts) {
      revokes0 += m.fs().clerk().revokesHandled();
      acquires0 += m.fs().clerk().serverAcquires();
    }
    Histogram h = new Histogram(3);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(p.clerks());
    long t0 = System.nanoTime();
    List<Future<Integer>> done = new ArrayList<>();
    for (int i = 0; i < p.clerks(); i++) {
      int clerk = i;
      FileSystem fs = mounts.get(i).fs();
      String d = p.shared() ? "/shared" : "/d" + i;
      done.add(
          pool.submit(
              () -> {
                SplittableRandom rnd = new SplittableRandom(clerk);
                List<String> written = new ArrayList<>();
                int n = 0;
                for (; n < ops && System.nanoTime() < deadline; n++) {
                  long s = System.nanoTime();
                  if (!written.isEmpty() && rnd.nextInt(4) == 0) {
                    fs.stat(written.get(rnd.nextInt(written.size())));
                  } else {
                    String f = d + "/f" + clerk + "-" + n;
                    fs.write(f, new byte[100]);
                    written.add(f);
                  }
                  long dt = System.nanoTime() - s;
                  synchronized (h) {
                    h.recordValue(dt);
                  }
                }
                return n;
              }));
    }
    int total = 0;
    try {
      for (Future<Integer> f : done) {
        total += f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long revokes = -revokes0;
    long acquires = -acquires0;
    for (FrangipaniMount m : mounts) {
      revokes += m.fs().clerk().revokesHandled();
      acquires += m.fs().clerk().serverAcquires();
    }
    System.out.printf(
        Locale.ROOT,
        "| %d | %s | %d | %.1f | %.0f | %.1f | %.1f | %d | %d |%n",
        p.clerks(),
        p.clerks() == 1 ? "own" : p.shared() ? "one shared" : "disjoint",
        total,
        secs,
        total / secs,
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        revokes,
        acquires);
    for (FrangipaniMount m : mounts) {
      m.close();
    }
  }

  private static void revokes(
      InProcessCluster cluster, CatenaClient client, String bucket, int rounds) throws Exception {
    try (FrangipaniMount a = mount(cluster, client, bucket, 101);
        FrangipaniMount b = mount(cluster, client, bucket, 102)) {
      a.fs().mkdir("/pp");
      a.fs().write("/pp/f", new byte[1024]);
      Histogram sticky = new Histogram(3);
      for (int i = -20; i < rounds; i++) {
        long s = System.nanoTime();
        a.fs().write("/pp/f", new byte[1024]);
        record(sticky, i, System.nanoTime() - s);
      }
      Histogram dirty = new Histogram(3);
      for (int i = -20; i < rounds; i++) {
        FileSystem fs = (i & 1) == 0 ? b.fs() : a.fs();
        long s = System.nanoTime();
        fs.write("/pp/f", new byte[1024]);
        record(dirty, i, System.nanoTime() - s);
      }
      Histogram clean = new Histogram(3);
      for (int i = -20; i < rounds; i++) {
        LockClerk c = (i & 1) == 0 ? b.fs().clerk() : a.fs().clerk();
        long s = System.nanoTime();
        c.acquire("pp_clean", LockMode.EXCLUSIVE).close();
        record(clean, i, System.nanoTime() - s);
      }
      System.out.println();
      System.out.println("| revoke | n | p50 ms | p99 ms | mean ms |");
      System.out.println("|---|---:|---:|---:|---:|");
      row("write 1 KiB, one clerk (sticky, no revoke)", sticky);
      row("write 1 KiB, two clerks in turn (revoke with dirty write-back)", dirty);
      row("exclusive lock, two clerks in turn (revoke, nothing dirty)", clean);
    }
  }

  private static void record(Histogram h, int i, long nanos) {
    if (i >= 0) {
      h.recordValue(nanos);
    }
  }

  private static void row(String name, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.2f | %.2f | %.2f |%n",
        name,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getMean() / 1e6);
  }
}
