package dev.catena.tests.bench.failover;

import dev.catena.client.CatenaClient;
import dev.catena.config.Subscription;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.SyncStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The cost of a full catch-up between exactly two node processes, in wall time and in CPU time of
 * every process, against a raw copy of the same bytes (DESIGN §4 "Add a tail").
 *
 * <p>Two nodes n1, n2 and chain length 2 (so two chains, both n1 and n2) with ZooKeeper and the
 * coordinator in this JVM ({@link BenchCluster}). About {@code --mib} MiB of objects are loaded
 * (their chunks spread over both chains by the placement hash). Then, {@code --joins} times: n2 is
 * stopped (SIGTERM; its registration vanishes and the coordinator removes it from both chains), its
 * data directory is emptied (the node log is kept), and it is started again: the coordinator makes
 * it a SYNCING member of both chains after n1, n1 streams it each chain's snapshot, and the
 * coordinator promotes it; role restore then moves chain 1 back to n2-n1 (n1 leaves it and rejoins
 * by difference), which the program waits for before it goes on. The window of a join runs from the
 * first configuration that lists n2 as SYNCING to the one that lists it ACTIVE in every chain (seen
 * through ZooKeeper watches); over it the program reads the user and system CPU time of n1 (the
 * sender), n2 (the joiner), this JVM (ZooKeeper, the coordinator, the watches) and the whole
 * machine from {@code /proc}, with the JIT compiler threads' and the collector's share of each node
 * ({@link CpuWindow}).
 *
 * <p>The first join is the first snapshot n1 ever sends (its send path is not compiled yet); in the
 * later ones n1 is warm. The joiner is a fresh process in every join: the coordinator gives a node
 * that keeps its process and data a rejoin by difference, not a full snapshot, so a full catch-up
 * into a warm joiner cannot be driven through it; the joiner's CPU without its JIT threads is
 * reported for that reason.
 *
 * <p>After each join, the same byte count (the larger of the joiner's progress reports and the
 * growth of its data directory) is copied from n1's data directory with {@link RawCopy}, with the
 * copying thread's user and system time ({@link ThreadMXBean}) and the machine's.
 *
 * <p>With {@code --write-interval-ms N} one open-loop writer per chain puts a 4 KiB key every N ms
 * from before the first join to after the last one (raw copies included), so the joins and the
 * copies run under the same writes; without it nothing writes during the joins.
 *
 * <p>Options: {@code --mode pair --mib 1024 --object-mib 64 --joins 3 --zk-port 24281 --base-port
 * 24300 --session-timeout-ms 4000 --timeout-minutes 20 --fsync group --seed 1 --sample-ms 500
 * --write-interval-ms <none> --data <dir> --json target/pair-catchup.json}.
 */
final class PairCatchUpBenchmark {
  private static final String BUCKET = "pair";
  private static final String SOURCE = "n1";
  private static final String JOINER = "n2";
  private static final String BENCH = "bench";

  /** What one join and its raw copy cost. */
  record Join(
      int index,
      long nanos,
      long reportedBytes,
      long reportedRecords,
      long joinerDirBytes,
      Map<Integer, Double> activeAfterSeconds,
      CpuWindow.Result cpu,
      ProcCpu.Ticks joinerStartup,
      RawCopy.Result raw,
      long rawUserNanos,
      long rawCpuNanos,
      CpuWindow.Result rawCpu,
      LatencyStats puts,
      long settleNanos,
      long fromEpochMillis,
      long toEpochMillis,
      long fromNanos) {
    long bytes() {
      return Math.max(reportedBytes, joinerDirBytes);
    }

    double ratio() {
      return (double) nanos / raw.nanos();
    }
  }

  private final BenchCluster cluster;
  private final long sampleMillis;
  private final long deadline;

  private PairCatchUpBenchmark(BenchCluster cluster, long sampleMillis, long deadline) {
    this.cluster = cluster;
    this.sampleMillis = sampleMillis;
    this.deadline = deadline;
  }

  static void run(BenchArgs a) throws Exception {
    long total = a.longValue("mib", 1024) << 20;
    int joins = a.intValue("joins", 3);
    String interval = a.string("write-interval-ms", null);
    long intervalMs = interval == null ? 0 : a.longValue("write-interval-ms", 1);
    long deadline =
        System.nanoTime() + TimeUnit.MINUTES.toNanos(a.longValue("timeout-minutes", 20));
    Path json = a.path("json", Path.of("target/pair-catchup.json"));
    Path given = a.path("data", null);
    Path data = given != null ? given : Files.createTempDirectory("catena-pair");
    var options =
        new BenchCluster.Options(
            data,
            2,
            2,
            a.intValue("zk-port", 24281),
            a.intValue("base-port", 24300),
            Duration.ofMillis(a.longValue("session-timeout-ms", 4000)),
            a.string("fsync", "group"));
    var out = new LinkedHashMap<String, Object>();
    out.put("benchmark", "catch-up between two node processes");
    out.put("clockTicksPerSecond", ProcCpu.ticksPerSecond());
    out.put("cpus", Runtime.getRuntime().availableProcessors());
    out.put("putIntervalMs", intervalMs == 0 ? null : intervalMs);
    try (var cluster = BenchCluster.start(options);
        CatenaClient client =
            CatenaClient.builder().zookeeper(cluster.zookeeper()).cluster("catena").build()) {
      if (!cluster.awaitReady(2, Duration.ofSeconds(60))) {
        throw new IllegalStateException("cluster not ready in 60 s; see node logs under " + data);
      }
      client.createBucket(BUCKET);
      long loadNanos =
          CatchUpBenchmark.load(
              client, BUCKET, total, a.intValue("object-mib", 64), a.longValue("seed", 1));
      out.put("loadedBytes", total);
      out.put("loadSeconds", loadNanos / 1e9);
      var bench = new PairCatchUpBenchmark(cluster, a.longValue("sample-ms", 500), deadline);
      List<OpenLoopWriter> writers = new ArrayList<>();
      var results = new ArrayList<Join>();
      try {
        if (intervalMs > 0) {
          writers.addAll(bench.startWriters(client, intervalMs));
        }
        for (int i = 1; i <= joins; i++) {
          results.add(bench.join(i, data, writers));
        }
      } finally {
        for (OpenLoopWriter w : writers) {
          w.stop(35_000);
          w.close();
        }
      }
      out.put("failedPuts", writers.stream().mapToLong(OpenLoopWriter::failures).sum());
      PairCatchUpReport.print(results, intervalMs > 0);
      out.put("joins", PairCatchUpReport.json(results));
      BenchFiles.writeReport(json, Json.write(out));
      System.out.println("JSON: " + json.toAbsolutePath());
    } finally {
      if (given == null) {
        BenchFiles.deleteTree(data);
      }
    }
  }

  private List<OpenLoopWriter> startWriters(CatenaClient client, long intervalMs) {
    byte[] payload = new byte[4096];
    new SplittableRandom(7).nextBytes(payload);
    var writers = new ArrayList<OpenLoopWriter>();
    for (int chain : cluster.chains().keySet()) {
      writers.add(
          new OpenLoopWriter(
              client,
              BUCKET,
              ChainKeys.keyOn(cluster.shardMap(), chain, BUCKET, "w-", 0),
              payload,
              TimeUnit.MILLISECONDS.toMicros(intervalMs),
              2_000,
              TimeUnit.MINUTES.toMillis(60) / intervalMs));
    }
    return writers;
  }

  /** One join of an emptied n2, then the raw copy of the same bytes. */
  private Join join(int index, Path data, List<OpenLoopWriter> writers) throws Exception {
    cluster.stop(JOINER);
    if (!cluster.await(() -> !listed(JOINER), remaining(), 50)) {
      throw new IllegalStateException(JOINER + " still listed after it stopped");
    }
    Path dir = cluster.nodeDir(JOINER);
    emptyExceptLog(dir);
    long dirAtStart = BenchFiles.sizeOf(dir);
    cluster.startNode(JOINER);
    Map<String, Long> pids = new TreeMap<>();
    pids.put(SOURCE, cluster.pids().get(SOURCE));
    pids.put(JOINER, cluster.pids().get(JOINER));
    pids.put(BENCH, ProcessHandle.current().pid());
    var changed = new Semaphore(0);
    var bytes = new TreeMap<Integer, Long>();
    var records = new TreeMap<Integer, Long>();
    var activeAt = new TreeMap<Integer, Double>();
    CpuWindow.Result cpu;
    ProcCpu.Ticks startup;
    long from;
    long fromMillis;
    try (Subscription sub = cluster.onChange(changed::release)) {
      awaitListed(changed);
      startup = ProcCpu.process(pids.get(JOINER));
      from = System.nanoTime();
      fromMillis = System.currentTimeMillis();
      try (CpuWindow window = CpuWindow.start(pids, sampleMillis)) {
        awaitActive(changed, from, bytes, records, activeAt);
        cpu = window.finish();
      }
    }
    long to = System.nanoTime();
    long toMillis = System.currentTimeMillis();
    long dirBytes = BenchFiles.sizeOf(dir) - dirAtStart;
    // Role restore follows the promotions (chain 1 goes back to n2-n1: n1 leaves it and rejoins
    // by difference); n2 may be stopped again, and the copy timed, only once that is done.
    Map<Integer, List<String>> target =
        RoleLayout.target(cluster.chains().keySet(), List.of(SOURCE, JOINER), 2);
    if (!cluster.await(
        () -> RoleLayout.of(cluster.chains().values()).equals(target), remaining(), 50)) {
      throw new IllegalStateException("roles not restored to " + target + " in time");
    }
    long settleNanos = System.nanoTime() - to;
    var lat = new ArrayList<Long>();
    for (OpenLoopWriter w : writers) {
      for (OpenLoopWriter.Sample s : w.issuedBetween(from, to)) {
        if (s.ok()) {
          lat.add(TimeUnit.NANOSECONDS.toMillis(s.doneNanos() - s.issuedNanos()));
        }
      }
    }
    long reported = bytes.values().stream().mapToLong(Long::longValue).sum();
    long copyBytes = Math.max(reported, dirBytes);
    Path dest = data.resolve("rawcopy-" + index);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    RawCopy.Result raw;
    long user0 = threads.getCurrentThreadUserTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    CpuWindow.Result rawCpu;
    try (CpuWindow window = CpuWindow.start(Map.of(BENCH, pids.get(BENCH)), sampleMillis)) {
      raw = RawCopy.copy(cluster.nodeDir(SOURCE), dest, copyBytes);
      rawCpu = window.finish();
    }
    long rawUser = threads.getCurrentThreadUserTime() - user0;
    long rawCpuNanos = threads.getCurrentThreadCpuTime() - cpu0;
    BenchFiles.deleteTree(dest);
    var j =
        new Join(
            index,
            cpu.nanos(),
            reported,
            records.values().stream().mapToLong(Long::longValue).sum(),
            dirBytes,
            activeAt,
            cpu,
            startup,
            raw,
            rawUser,
            rawCpuNanos,
            rawCpu,
            LatencyStats.of(lat),
            settleNanos,
            fromMillis,
            toMillis,
            from);
    System.out.printf(
        "join %d: %.2f s, %.1f MiB, raw copy %.2f s, ratio %.2f%n",
        index, j.nanos() / 1e9, j.bytes() / 1048576.0, raw.nanos() / 1e9, j.ratio());
    return j;
  }

  /** Waits until a chain lists {@link #JOINER} (the coordinator's first step of the join). */
  private void awaitListed(Semaphore changed) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      changed.drainPermits();
      if (listed(JOINER)) {
        return;
      }
      changed.tryAcquire(200, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException(JOINER + " not listed in time");
  }

  /**
   * Waits until {@link #JOINER} is ACTIVE in every chain, recording each chain's largest progress
   * report and when the chain promoted it (seconds after {@code from}). Reads again on every change
   * ZooKeeper reports and at least every 200 ms.
   */
  private void awaitActive(
      Semaphore changed,
      long from,
      Map<Integer, Long> bytes,
      Map<Integer, Long> records,
      Map<Integer, Double> activeAt)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      changed.drainPermits();
      for (SyncStatus s : cluster.syncStatuses()) {
        if (s.getNodeId().equals(JOINER) && !activeAt.containsKey(s.getChainId())) {
          bytes.merge(s.getChainId(), s.getBytes(), Math::max);
          records.merge(s.getChainId(), s.getKeys(), Math::max);
        }
      }
      long now = System.nanoTime();
      Map<Integer, ChainConfig> chains = cluster.chains();
      for (ChainConfig c : chains.values()) {
        for (ChainMember m : c.getMembersList()) {
          if (m.getNodeId().equals(JOINER) && m.getState() == MemberState.ACTIVE) {
            activeAt.putIfAbsent(c.getChainId(), (now - from) / 1e9);
          }
        }
      }
      if (activeAt.size() == chains.size()) {
        return;
      }
      changed.tryAcquire(200, TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException(JOINER + " not ACTIVE in every chain in time");
  }

  private boolean listed(String node) {
    return cluster.chains().values().stream()
        .flatMap(c -> c.getMembersList().stream())
        .anyMatch(m -> m.getNodeId().equals(node));
  }

  private Duration remaining() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** Deletes everything in a stopped node's data directory but its log. */
  private static void emptyExceptLog(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!p.getFileName().toString().equals("node.log")) {
          BenchFiles.deleteTree(p);
        }
      }
    }
  }
}
