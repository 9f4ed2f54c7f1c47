package dev.catena.tests.bench.failover;

import dev.catena.client.CatenaClient;
import dev.catena.client.PutOptions;
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
import java.util.concurrent.TimeUnit;

/**
 * Catch-up time of a joining replica against a raw file copy of the same bytes (DESIGN §4 "Add a
 * tail": the joiner is SYNCING after the tail, gets a snapshot streamed and the new writes
 * forwarded, and is promoted when caught up; writes are never paused).
 *
 * <p>Three nodes, chain length 3, are loaded with large objects (4 MiB chunks spread over the
 * chains by the placement hash). A fourth node is then started; the coordinator's role restore
 * makes it a SYNCING member of the first chain whose rotated target over four nodes differs from
 * its members; every chain holds about the per-chain budget (chunks spread evenly). While an
 * open-loop writer puts a key of that chain, the program measures the time from the first
 * configuration that lists the new node as SYNCING to the one that lists it ACTIVE. Afterwards,
 * once the cluster has settled, it copies the same number of bytes (the larger of the joiner's last
 * progress report and its data directory at promotion) from the streaming node's data directory
 * with {@link RawCopy} and reports both times and their ratio (target ≤ 2).
 *
 * <p>Options: {@code --per-chain-mib 256 --object-mib 64 --session-timeout-ms 4000 --interval-ms 20
 * --timeout-minutes 20 --zk-port 23281 --base-port 23300 --data <dir> --json
 * target/catchup-benchmark.json --fsync group --seed 1}.
 *
 * <p>{@code --mode rejoin} runs {@link RejoinBenchmark} instead (full snapshot, rejoin by
 * difference and raw copy side by side, in one JVM without ZooKeeper).
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
          "mode",
          "mib",
          "chunk-kib");

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
    long firstProgressNanos = -1;
    long lastGrowthNanos = -1;
    long caughtUpNanos = -1;

    Join(int chainId, long joinNanos, long epoch, String source) {
      this.chainId = chainId;
      this.joinNanos = joinNanos;
      this.epoch = epoch;
      this.source = source;
    }
  }

  private CatchUpBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args, OPTIONS);
    if (a.string("mode", "join").equals("rejoin")) {
      RejoinBenchmark.run(a);
      return;
    }
    long perChain = a.longValue("per-chain-mib", 256) << 20;
    int objectMib = a.intValue("object-mib", 64);
    long t = a.longValue("session-timeout-ms", 4000);
    long intervalMs = a.longValue("interval-ms", 20);
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
      int dataChain = RoleLayout.firstDiffering(initial, target);
      System.out.printf(
          "initial %s, target with %s %s, the joiner enters chain %d first%n",
          initial, JOINER, target, dataChain);
      try (CatenaClient client =
          CatenaClient.builder().zookeeper(cluster.zookeeper()).cluster("catena").build()) {
        client.createBucket(BUCKET);
        long total = perChain * initial.size();
        long loadNanos = load(client, total, objectMib, a.longValue("seed", 1));
        out.put("loadedBytes", total);
        out.put("loadSeconds", loadNanos / 1e9);
        System.out.printf(
            "loaded %d MiB in %.1f s (%.1f MiB/s)%n",
            total >> 20, loadNanos / 1e9, (total >> 20) / (loadNanos / 1e9));
        String key = ChainKeys.keyOn(cluster.shardMap(), dataChain, BUCKET, "w-", 0);
        byte[] payload = new byte[4096];
        new SplittableRandom(7).nextBytes(payload);
        Map<Integer, Join> joins;
        List<OpenLoopWriter.Sample> during;
        long writerFailures;
        try (var writer =
            new OpenLoopWriter(
                client,
                BUCKET,
                key,
                payload,
                TimeUnit.MILLISECONDS.toMicros(intervalMs),
                2_000,
                TimeUnit.MINUTES.toMillis(60) / intervalMs)) {
          if (!cluster.await(() -> writer.completed() >= 10, Duration.ofSeconds(30), 10)) {
            throw new IllegalStateException("writer made no progress");
          }
          cluster.startNode(JOINER);
          joins = watchJoins(cluster, dataChain, deadline);
          writer.stop(35_000);
          Join d = joins.get(dataChain);
          during =
              d == null || d.promotedNanos < 0
                  ? List.of()
                  : writer.issuedBetween(d.joinNanos, d.promotedNanos);
          writerFailures = writer.failures();
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
        report(cluster, data, dataChain, joins, during, writerFailures, t, intervalMs, out, json);
      }
    } finally {
      if (given == null) {
        BenchFiles.deleteTree(data);
      }
    }
  }

  /** Puts {@code total} bytes as objects of {@code objectMib} MiB of seeded random bytes. */
  private static long load(CatenaClient client, long total, int objectMib, long seed) {
    var rnd = new SplittableRandom(seed);
    byte[] buf = new byte[objectMib << 20];
    long t0 = System.nanoTime();
    int objects = (int) Math.max(1, total / buf.length);
    for (int i = 0; i < objects; i++) {
      rnd.nextBytes(buf);
      client.putObject(
          BUCKET, "big-" + i, new ByteArrayInputStream(buf), buf.length, PutOptions.DEFAULT);
      if ((i + 1) % 4 == 0 || i + 1 == objects) {
        System.out.printf(
            "  %d/%d objects, %.0f s%n", i + 1, objects, (System.nanoTime() - t0) / 1e9);
      }
    }
    return System.nanoTime() - t0;
  }

  /**
   * Polls the chain configurations and join reports until the joiner is ACTIVE in {@code dataChain}
   * or the deadline passes.
   */
  private static Map<Integer, Join> watchJoins(BenchCluster cluster, int dataChain, long deadline)
      throws InterruptedException, IOException {
    var joins = new TreeMap<Integer, Join>();
    while (System.nanoTime() < deadline) {
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
          joins.put(c.getChainId(), new Join(c.getChainId(), now, c.getEpoch(), tail));
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
      Join d = joins.get(dataChain);
      if (d != null && d.promotedNanos >= 0) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return joins;
  }

  private static void report(
      BenchCluster cluster,
      Path data,
      int dataChain,
      Map<Integer, Join> joins,
      List<OpenLoopWriter.Sample> during,
      long writerFailures,
      long t,
      long intervalMs,
      Map<String, Object> out,
      Path json)
      throws IOException {
    Join d = joins.get(dataChain);
    if (d == null || d.promotedNanos < 0) {
      throw new IllegalStateException(
          JOINER
              + " was not promoted in chain "
              + dataChain
              + " in time; joins seen: "
              + joins.keySet());
    }
    long catchUpNanos = d.promotedNanos - d.joinNanos;
    Path src = cluster.nodeDir(d.source);
    long srcSize = BenchFiles.sizeOf(src);
    // Progress reports are rate-limited, so the last one can miss the end of the stream; the
    // joiner's directory right after promotion holds everything it received for this chain.
    long budget = Math.max(d.bytes, d.joinerDirBytes);
    RawCopy.Result raw = RawCopy.copy(src, data.resolve("rawcopy"), budget);
    double ratio = (double) catchUpNanos / raw.nanos();
    var lat = new ArrayList<Long>();
    for (OpenLoopWriter.Sample s : during) {
      if (s.ok()) {
        lat.add(TimeUnit.NANOSECONDS.toMillis(s.doneNanos() - s.issuedNanos()));
      }
    }
    LatencyStats w = LatencyStats.of(lat);
    var table = new MarkdownTable("measure", "value");
    table.row("chain / source (streaming tail)", dataChain + " / " + d.source);
    table.row(
        "snapshot records / bytes (joiner's last progress report)", d.keys + " / " + mib(d.bytes));
    table.row("joiner's data directory at promotion", mib(d.joinerDirBytes));
    table.row(
        "SYNCING → ACTIVE",
        String.format("%.2f s (%.1f MiB/s)", catchUpNanos / 1e9, rate(budget, catchUpNanos)));
    table.row(
        "raw copy (transferTo + fsync), same byte count",
        String.format(
            "%.2f s (%.1f MiB/s), %s in %d files",
            raw.nanos() / 1e9, rate(raw.bytes(), raw.nanos()), mib(raw.bytes()), raw.files()));
    table.row("ratio catch-up / raw copy (target ≤ 2)", String.format("%.2f", ratio));
    table.row(
        "puts during catch-up: ok / p50 / p99 / max",
        w.count()
            + " / "
            + w.p50Millis()
            + " ms / "
            + w.p99Millis()
            + " ms / "
            + w.maxMillis()
            + " ms");
    table.row(
        "join → first progress report / last growth / caught-up report seen (s)",
        secs(d, d.firstProgressNanos)
            + " / "
            + secs(d, d.lastGrowthNanos)
            + " / "
            + secs(d, d.caughtUpNanos));
    table.row("failed puts (whole run)", writerFailures);
    table.row("source data directory", mib(srcSize));
    System.out.println();
    System.out.println(table.render());
    out.put("benchmark", "catch-up");
    out.put("sessionTimeoutMs", t);
    out.put("putIntervalMs", intervalMs);
    out.put("chainId", dataChain);
    out.put("source", d.source);
    out.put("epochAtJoin", d.epoch);
    out.put("snapshotRecords", d.keys);
    out.put("snapshotBytes", d.bytes);
    out.put("joinerDirBytesAtPromotion", d.joinerDirBytes);
    out.put("catchUpSeconds", catchUpNanos / 1e9);
    out.put("firstProgressSeconds", secsOrNull(d, d.firstProgressNanos));
    out.put("lastProgressGrowthSeconds", secsOrNull(d, d.lastGrowthNanos));
    out.put("caughtUpReportSeenSeconds", secsOrNull(d, d.caughtUpNanos));
    out.put("rawCopyBytes", raw.bytes());
    out.put("rawCopyFiles", raw.files());
    out.put("rawCopySeconds", raw.nanos() / 1e9);
    out.put("ratio", ratio);
    out.put("targetRatio", 2.0);
    out.put("targetMet", ratio <= 2.0);
    out.put("putsDuringCatchUp", FailoverBenchmark.statsJson(w));
    out.put("failedPuts", writerFailures);
    out.put("sourceDataDirBytes", srcSize);
    var others = new ArrayList<Object>();
    for (Join j : joins.values()) {
      var m = new LinkedHashMap<String, Object>();
      m.put("chainId", j.chainId);
      m.put("epoch", j.epoch);
      m.put("source", j.source);
      m.put(
          "promotedAfterSeconds",
          j.promotedNanos < 0 ? null : (j.promotedNanos - j.joinNanos) / 1e9);
      others.add(m);
    }
    out.put("joinsSeen", others);
    BenchFiles.writeReport(json, Json.write(out));
    System.out.println("JSON: " + json.toAbsolutePath());
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
