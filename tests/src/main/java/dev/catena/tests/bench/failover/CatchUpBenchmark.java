package dev.catena.tests.bench.failover;

import dev.catena.client.CatenaClient;
import dev.catena.client.PutOptions;
import dev.catena.config.Subscription;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.SyncStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up time of a joining replica against a raw file copy of the same bytes (DESIGN §4 "Add a
 * tail": the joiner is SYNCING after the tail, gets a snapshot streamed and the new writes
 * forwarded, and is promoted when caught up; writes are never paused).
 *
 * <p>Three nodes, chain length 3, are loaded with large objects (4 MiB chunks spread over the
 * chains by the placement hash; every chain holds about the per-chain budget). A fourth node is
 * then started; the coordinator's role restore moves towards the rotated layout over four nodes one
 * chain at a time, so the new node becomes a SYNCING member of each chain whose target lists it, in
 * turn. While one open-loop writer per such chain puts a key of it, the program measures, for every
 * such join, the time from the first configuration that lists the new node as SYNCING in that chain
 * to the one that lists it ACTIVE. The first join runs in a freshly started process (class loading
 * and JIT compilation of the whole join path share the machine with the stream); the next ones run
 * in the same process, warm. It copies the same number of bytes per join (the larger of the
 * joiner's last progress report and what its data directory grew by during the join) from that
 * join's streaming node's data directory with {@link RawCopy} twice: once right after the last
 * promotion, while the writers still run (the machine shared as during the join), and once after
 * the writers have stopped and the cluster has settled (idle, the best case). It reports the
 * catch-up time against both (target ≤ 2).
 *
 * <p>Options: {@code --per-chain-mib 256 --object-mib 64 --session-timeout-ms 4000 --interval-ms 20
 * --timeout-minutes 20 --zk-port 23281 --base-port 23300 --data <dir> --json
 * target/catchup-benchmark.json --fsync group --seed 1}.
 *
 * <p>{@code --mode rejoin} runs {@link RejoinBenchmark} instead (full snapshot, rejoin by
 * difference and raw copy side by side, in one JVM without ZooKeeper); {@code --mode pair} runs
 * {@link PairCatchUpBenchmark} (two node processes, repeated joins, CPU time of every process).
 */
public final class CatchUpBenchmark {
  private static final String BUCKET = "catchup";
  private static final String JOINER = "n4";
  private static final Set<String> OPTIONS =
      Set.of(
          "per-chain-mib",
          "object-mib",
          "session-timeout-ms",
          "interval-ms",
          "timeout-minutes",
          "zk-port",
          "base-port",
          "data",
          "json",
          "fsync",
          "seed",
          "warmup-puts",
          "settle-ms",
          "mode",
          "mib",
          "chunk-kib",
          "joins",
          "write-interval-ms",
          "sample-ms");

  /** What the program saw of one chain the joiner entered. */
  static final class Join {
    final int chainId;
    final long joinNanos;
    final long epoch;
    final String source;
    long promotedNanos = -1;
    long keys;
    long bytes;
    long joinerDirBytes;
    long joinerDirAtJoin;
    long firstProgressNanos = -1;
    long lastGrowthNanos = -1;
    long caughtUpNanos = -1;

    Join(int chainId, long joinNanos, long epoch, String source) {
      this.chainId = chainId;
      this.joinNanos = joinNanos;
      this.epoch = epoch;
      this.source = source;
    }

    /**
     * Bytes the joiner received for this chain. Progress reports are rate-limited, so the last one
     * can miss the end of the stream; what the joiner's directory grew by during the join holds
     * everything it received.
     */
    long budget() {
      return Math.max(bytes, joinerDirBytes - joinerDirAtJoin);
    }
  }

  private CatchUpBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args, OPTIONS);
    switch (a.string("mode", "join")) {
      case "rejoin" -> {
        RejoinBenchmark.run(a);
        return;
      }
      case "pair" -> {
        PairCatchUpBenchmark.run(a);
        return;
      }
      case "join" -> {}
      default -> throw new BenchArgsException("--mode is join, rejoin or pair");
    }
    long perChain = a.longValue("per-chain-mib", 256) << 20;
    int objectMib = a.intValue("object-mib", 64);
    long t = a.longValue("session-timeout-ms", 4000);
    long intervalMs = a.longValue("interval-ms", 20);
    int warmupPuts = a.intValue("warmup-puts", 4000);
    long settleMs = a.longValue("settle-ms", 5000);
    long deadline =
        System.nanoTime() + TimeUnit.MINUTES.toNanos(a.longValue("timeout-minutes", 20));
    Path json = a.path("json", Path.of("target/catchup-benchmark.json"));
    Path given = a.path("data", null);
    Path data = given != null ? given : Files.createTempDirectory("catena-catchup");
    var options =
        new BenchCluster.Options(
            data,
            3,
            3,
            a.intValue("zk-port", 23281),
            a.intValue("base-port", 23300),
            Duration.ofMillis(t),
            a.string("fsync", "group"));
    var out = new LinkedHashMap<String, Object>();
    try (var cluster = BenchCluster.start(options)) {
      if (!cluster.awaitReady(3, Duration.ofSeconds(60))) {
        throw new IllegalStateException("cluster not ready in 60 s; see node logs under " + data);
      }
      Map<Integer, List<String>> initial = RoleLayout.of(cluster.chains().values());
      Set<String> four = new HashSet<>(cluster.liveNodes());
      four.add(JOINER);
      Map<Integer, List<String>> target = RoleLayout.target(initial.keySet(), four, 3);
      List<Integer> joinChains = RoleLayout.entering(initial, target, JOINER);
      if (joinChains.isEmpty()) {
        throw new IllegalStateException(JOINER + " enters no chain: target " + target);
      }
      System.out.printf(
          "initial %s, target with %s %s, the joiner enters chains %s in turn%n",
          initial, JOINER, target, joinChains);
      try (CatenaClient client =
          CatenaClient.builder().zookeeper(cluster.zookeeper()).cluster("catena").build()) {
        client.createBucket(BUCKET);
        long total = perChain * initial.size();
        long loadNanos = load(client, BUCKET, total, objectMib, a.longValue("seed", 1));
        out.put("loadedBytes", total);
        out.put("loadSeconds", loadNanos / 1e9);
        System.out.printf(
            "loaded %d MiB in %.1f s (%.1f MiB/s)%n",
            total >> 20, loadNanos / 1e9, (total >> 20) / (loadNanos / 1e9));
        byte[] payload = new byte[4096];
        new SplittableRandom(7).nextBytes(payload);
        List<String> writerKeys = new ArrayList<>();
        for (int chain : joinChains) {
          writerKeys.add(ChainKeys.keyOn(cluster.shardMap(), chain, BUCKET, "w-", 0));
        }
        long warmupNanos = warmUp(client, writerKeys, payload, warmupPuts);
        out.put("warmupPuts", warmupPuts);
        out.put("warmupSeconds", warmupNanos / 1e9);
        out.put("settleMs", settleMs);
        System.out.printf(
            "warm-up: %d puts of 4 KiB in %.1f s, then the writers run %d ms before the join%n",
            warmupPuts, warmupNanos / 1e9, settleMs);
        Map<Integer, Join> joins;
        var underLoad = new TreeMap<Integer, RawCopy.Result>();
        var during = new TreeMap<Integer, List<OpenLoopWriter.Sample>>();
        long writerFailures = 0;
        // One open-loop writer per chain the joiner enters, so each join runs under writes.
        var writers = new TreeMap<Integer, OpenLoopWriter>();
        try {
          for (int i = 0; i < joinChains.size(); i++) {
            writers.put(
                joinChains.get(i),
                new OpenLoopWriter(
                    client,
                    BUCKET,
                    writerKeys.get(i),
                    payload,
                    TimeUnit.MILLISECONDS.toMicros(intervalMs),
                    2_000,
                    TimeUnit.MINUTES.toMillis(60) / intervalMs));
          }
          if (!cluster.await(
              () -> writers.values().stream().allMatch(w -> w.completed() >= 10),
              Duration.ofSeconds(30),
              10)) {
            throw new IllegalStateException("writers made no progress");
          }
          TimeUnit.MILLISECONDS.sleep(settleMs);
          cluster.startNode(JOINER);
          joins = watchJoins(cluster, joinChains, deadline);
          // The same copy while the writers still run and the cluster still works on its role
          // restore: the machine is shared as it was during the join (the copy after the writers
          // stop is the idle best case).
          for (Join d : joins.values()) {
            if (d.promotedNanos >= 0) {
              underLoad.put(d.chainId, rawCopy(cluster, data, d, "rawcopy-load-"));
            }
          }
          for (var e : writers.entrySet()) {
            OpenLoopWriter w = e.getValue();
            w.stop(35_000);
            Join d = joins.get(e.getKey());
            during.put(
                e.getKey(),
                d == null || d.promotedNanos < 0
                    ? List.of()
                    : w.issuedBetween(d.joinNanos, d.promotedNanos));
            writerFailures += w.failures();
          }
        } finally {
          writers.values().forEach(OpenLoopWriter::close);
        }
        long settleStart = System.nanoTime();
        boolean settled =
            cluster.await(
                () -> RoleLayout.of(cluster.chains().values()).equals(target),
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                200);
        out.put(
            "settledAfterPromotionSeconds",
            settled ? (System.nanoTime() - settleStart) / 1e9 : null);
        report(
            cluster,
            data,
            joinChains,
            joins,
            underLoad,
            during,
            writerFailures,
            t,
            intervalMs,
            out,
            json);
      }
    } finally {
      if (given == null) {
        BenchFiles.deleteTree(data);
      }
    }
  }

  /**
   * Puts {@code total} bytes into {@code bucket} as objects of {@code objectMib} MiB of seeded
   * random bytes.
   */
  static long load(CatenaClient client, String bucket, long total, int objectMib, long seed) {
    var rnd = new SplittableRandom(seed);
    byte[] buf = new byte[objectMib << 20];
    long t0 = System.nanoTime();
    int objects = (int) Math.max(1, total / buf.length);
    for (int i = 0; i < objects; i++) {
      rnd.nextBytes(buf);
      client.putObject(
          bucket, "big-" + i, new ByteArrayInputStream(buf), buf.length, PutOptions.DEFAULT);
      if ((i + 1) % 4 == 0 || i + 1 == objects) {
        System.out.printf(
            "  %d/%d objects, %.0f s%n", i + 1, objects, (System.nanoTime() - t0) / 1e9);
      }
    }
    return System.nanoTime() - t0;
  }

  /**
   * Runs {@code puts} puts of {@code payload} over {@code keys}, at most 16 in flight and for at
   * most 120 s, so that the nodes' put path is compiled before the join is timed: the join is then
   * measured against a cluster in steady state rather than against every node's JIT compiler
   * warming up the put path at the same moment. {@code --warmup-puts 0} measures the cold case.
   */
  private static long warmUp(CatenaClient client, List<String> keys, byte[] payload, int puts)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
    var permits = new Semaphore(16);
    for (int i = 0; i < puts && System.nanoTime() < deadline; i++) {
      if (!permits.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("warm-up puts stalled");
      }
      client
          .putObjectAsync(BUCKET, keys.get(i % keys.size()), payload, PutOptions.DEFAULT)
          .whenComplete((meta, err) -> permits.release());
    }
    if (!permits.tryAcquire(16, 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("warm-up puts did not finish");
    }
    return System.nanoTime() - t0;
  }

  /**
   * Watches the chain configurations and join reports until the joiner is ACTIVE in every chain of
   * {@code chains} or the deadline passes. It re-reads them when ZooKeeper reports a change (and at
   * least every 200 ms), so each transition is seen within one notification of being published,
   * without a polling loop competing with the join for the CPU.
   */
  private static Map<Integer, Join> watchJoins(
      BenchCluster cluster, List<Integer> chains, long deadline)
      throws InterruptedException, IOException {
    var joins = new TreeMap<Integer, Join>();
    var changed = new Semaphore(0);
    try (Subscription sub = cluster.onChange(changed::release)) {
      watchUntil(cluster, chains, deadline, joins, changed);
    }
    return joins;
  }

  private static void watchUntil(
      BenchCluster cluster,
      List<Integer> chains,
      long deadline,
      Map<Integer, Join> joins,
      Semaphore changed)
      throws InterruptedException, IOException {
    while (System.nanoTime() < deadline) {
      changed.drainPermits();
      long now = System.nanoTime();
      for (ChainConfig c : cluster.chains().values()) {
        MemberState state = null;
        String tail = null;
        for (ChainMember m : c.getMembersList()) {
          if (m.getNodeId().equals(JOINER)) {
            state = m.getState();
          } else if (m.getState() == MemberState.ACTIVE) {
            tail = m.getNodeId();
          }
        }
        Join j = joins.get(c.getChainId());
        if (j == null && state == MemberState.SYNCING) {
          Join n = new Join(c.getChainId(), now, c.getEpoch(), tail);
          n.joinerDirAtJoin = BenchFiles.sizeOf(cluster.nodeDir(JOINER));
          joins.put(c.getChainId(), n);
          System.out.printf(
              "%s SYNCING in chain %d (epoch %d) after %s%n",
              JOINER, c.getChainId(), c.getEpoch(), tail);
        } else if (j != null && j.promotedNanos < 0 && state == MemberState.ACTIVE) {
          j.promotedNanos = now;
          j.joinerDirBytes = BenchFiles.sizeOf(cluster.nodeDir(JOINER));
          System.out.printf(
              "%s ACTIVE in chain %d after %.2f s%n",
              JOINER, c.getChainId(), (now - j.joinNanos) / 1e9);
        }
      }
      for (SyncStatus s : cluster.syncStatuses()) {
        Join j = joins.get(s.getChainId());
        if (j != null && s.getNodeId().equals(JOINER) && j.promotedNanos < 0) {
          if (s.getBytes() > j.bytes) {
            j.lastGrowthNanos = now;
            if (j.firstProgressNanos < 0) {
              j.firstProgressNanos = now;
            }
          }
          if (s.getCaughtUp() && j.caughtUpNanos < 0) {
            j.caughtUpNanos = now;
          }
          j.keys = Math.max(j.keys, s.getKeys());
          j.bytes = Math.max(j.bytes, s.getBytes());
        }
      }
      if (chains.stream().allMatch(c -> joins.containsKey(c) && joins.get(c).promotedNanos >= 0)) {
        return;
      }
      changed.tryAcquire(200, TimeUnit.MILLISECONDS);
    }
  }

  private static void report(
      BenchCluster cluster,
      Path data,
      List<Integer> joinChains,
      Map<Integer, Join> joins,
      Map<Integer, RawCopy.Result> underLoad,
      Map<Integer, List<OpenLoopWriter.Sample>> during,
      long writerFailures,
      long t,
      long intervalMs,
      Map<String, Object> out,
      Path json)
      throws IOException {
    var table =
        new MarkdownTable(
            "join",
            "chain / source",
            "records / bytes",
            "SYNCING → ACTIVE",
            "raw copy, same bytes: idle / under the writers",
            "ratio (target ≤ 2): idle / under the writers",
            "puts during: ok / p50 / p99 / max (ms)",
            "first progress / last growth / caught up (s)");
    var perJoin = new ArrayList<Object>();
    for (int chain : joinChains) {
      Join d = joins.get(chain);
      if (d == null || d.promotedNanos < 0) {
        throw new IllegalStateException(
            JOINER
                + " was not promoted in chain "
                + chain
                + " in time; joins seen: "
                + joins.keySet());
      }
      long catchUpNanos = d.promotedNanos - d.joinNanos;
      long budget = d.budget();
      RawCopy.Result raw = rawCopy(cluster, data, d, "rawcopy-");
      RawCopy.Result loaded = underLoad.get(chain);
      double ratio = (double) catchUpNanos / raw.nanos();
      double loadedRatio = (double) catchUpNanos / loaded.nanos();
      var lat = new ArrayList<Long>();
      for (OpenLoopWriter.Sample s : during.getOrDefault(chain, List.of())) {
        if (s.ok()) {
          lat.add(TimeUnit.NANOSECONDS.toMillis(s.doneNanos() - s.issuedNanos()));
        }
      }
      LatencyStats w = LatencyStats.of(lat);
      String which = perJoin.isEmpty() ? "first (fresh process)" : "next (warm process)";
      table.row(
          which,
          chain + " / " + d.source,
          d.keys + " / " + mib(budget),
          String.format("%.2f s (%.1f MiB/s)", catchUpNanos / 1e9, rate(budget, catchUpNanos)),
          String.format(
              "%.2f s (%.1f MiB/s) / %.2f s (%.1f MiB/s)",
              raw.nanos() / 1e9,
              rate(raw.bytes(), raw.nanos()),
              loaded.nanos() / 1e9,
              rate(loaded.bytes(), loaded.nanos())),
          String.format("%.2f / %.2f", ratio, loadedRatio),
          w.count() + " / " + w.p50Millis() + " / " + w.p99Millis() + " / " + w.maxMillis(),
          secs(d, d.firstProgressNanos)
              + " / "
              + secs(d, d.lastGrowthNanos)
              + " / "
              + secs(d, d.caughtUpNanos));
      var m = new LinkedHashMap<String, Object>();
      m.put("join", which);
      m.put("chainId", chain);
      m.put("source", d.source);
      m.put("epochAtJoin", d.epoch);
      m.put("snapshotRecords", d.keys);
      m.put("snapshotBytes", d.bytes);
      m.put("joinerDirGrowthBytes", d.joinerDirBytes - d.joinerDirAtJoin);
      m.put("catchUpSeconds", catchUpNanos / 1e9);
      m.put("firstProgressSeconds", secsOrNull(d, d.firstProgressNanos));
      m.put("lastProgressGrowthSeconds", secsOrNull(d, d.lastGrowthNanos));
      m.put("caughtUpReportSeenSeconds", secsOrNull(d, d.caughtUpNanos));
      m.put("rawCopyBytes", raw.bytes());
      m.put("rawCopyFiles", raw.files());
      m.put("rawCopySeconds", raw.nanos() / 1e9);
      m.put("ratio", ratio);
      m.put("rawCopyUnderWritersBytes", loaded.bytes());
      m.put("rawCopyUnderWritersSeconds", loaded.nanos() / 1e9);
      m.put("ratioUnderWriters", loadedRatio);
      m.put("targetMet", ratio <= 2.0);
      m.put("putsDuringCatchUp", FailoverBenchmark.statsJson(w));
      perJoin.add(m);
    }
    System.out.println();
    System.out.println(table.render());
    System.out.println("failed puts (whole run): " + writerFailures);
    out.put("benchmark", "catch-up");
    out.put("sessionTimeoutMs", t);
    out.put("putIntervalMs", intervalMs);
    out.put("targetRatio", 2.0);
    out.put("joins", perJoin);
    out.put("failedPuts", writerFailures);
    BenchFiles.writeReport(json, Json.write(out));
    System.out.println("JSON: " + json.toAbsolutePath());
  }

  /** Copies {@link Join#budget()} bytes of the join's source directory, timed, then deletes it. */
  private static RawCopy.Result rawCopy(BenchCluster cluster, Path data, Join d, String prefix)
      throws IOException {
    Path dest = data.resolve(prefix + d.chainId);
    RawCopy.Result raw = RawCopy.copy(cluster.nodeDir(d.source), dest, d.budget());
    BenchFiles.deleteTree(dest);
    return raw;
  }

  /** Seconds from the join to {@code nanos}, as text; "-" if never seen (polled every 20 ms). */
  private static String secs(Join j, long nanos) {
    return nanos < 0 ? "-" : String.format("%.2f", (nanos - j.joinNanos) / 1e9);
  }

  private static Double secsOrNull(Join j, long nanos) {
    return nanos < 0 ? null : (nanos - j.joinNanos) / 1e9;
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static double rate(long bytes, long nanos) {
    return bytes / 1048576.0 / (nanos / 1e9);
  }
}
