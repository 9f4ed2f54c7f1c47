package dev.catena.tests.bench.failover;

import dev.catena.client.CatenaClient;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Head-failure unavailability of a chain (DESIGN §4 "Head fails", §6: the coordinator acts once the
 * failed node's session has expired). Per run: an open-loop writer puts one key of one chain every
 * few milliseconds; the chain's head node process is killed with SIGKILL; the program measures the
 * time from the kill to the node's registration vanishing, to the chain's epoch change in
 * ZooKeeper, and to the acknowledgement of the first put issued at or after the kill (the
 * unavailability a client sees; {@link FirstPutAfterKill}). The node is then restarted on its data
 * directory and the run ends when every chain has its initial members again. Prints a Markdown
 * table with p50/p99/max (HdrHistogram) next to the session timeout T and the target p99 ≤ T + 500
 * ms, and writes the same as JSON. A run whose first put after the kill is not acknowledged (it
 * failed, or no answer within 60 s) is a failed run: counted and reported, never dropped, and any
 * failed run means the target is not met.
 *
 * <p>Each kill happens once the writer has 20 acknowledged puts and has then kept writing for the
 * run's settle time. {@code --settle-ms} takes a list, used in turn: 0 kills as soon as the writer
 * makes progress (shortly after the previous run's node came back), 3000 in steady state; the
 * report has a summary per settle time.
 *
 * <p>Options: {@code --runs 20 (per settle time) --nodes 3 --chain-length 3 --session-timeout-ms
 * 4000 --interval-ms 10 --settle-ms 0,3000 --max-minutes 30 --restore-timeout-s 180 --zk-port 23181
 * --base-port 23200 --data <dir> --json target/failover-benchmark.json --fsync group}.
 */
public final class FailoverBenchmark {
  private static final String BUCKET = "failover";
  private static final Set<String> OPTIONS =
      Set.of(
          "runs",
          "nodes",
          "chain-length",
          "session-timeout-ms",
          "interval-ms",
          "settle-ms",
          "max-minutes",
          "restore-timeout-s",
          "zk-port",
          "base-port",
          "data",
          "json",
          "fsync");

  /** The outcome of one kill. Times are milliseconds after the kill; -1 = not seen in time. */
  record Run(
      int run,
      long settleMs,
      int chainId,
      String killed,
      long epochBefore,
      long epochAfter,
      long unregisteredMs,
      long epochChangeMs,
      FirstPutAfterKill firstPut,
      long failedPuts,
      long restoreMs) {
    /** Kill → acknowledgement of the first put issued at or after it; -1 for a failed run. */
    long firstPutAckMs() {
      return firstPut.ackMillis();
    }
  }

  /**
   * The runs of one settle time: kill → first put's ack over the acknowledged runs, and the runs
   * without an ack. The target is met only if every run got its ack and p99 ≤ target.
   */
  record Summary(long settleMs, int runs, LatencyStats ack, int failedRuns, boolean targetMet) {
    static Summary of(List<Run> all, long settleMs, long targetMs) {
      List<Run> runs = all.stream().filter(r -> r.settleMs() == settleMs).toList();
      LatencyStats ack = stats(runs, Run::firstPutAckMs);
      int failed = (int) runs.stream().filter(r -> r.firstPut().failed()).count();
      boolean met = !runs.isEmpty() && failed == 0 && ack.p99Millis() <= targetMs;
      return new Summary(settleMs, runs.size(), ack, failed, met);
    }
  }

  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args, OPTIONS);
    int runs = a.intValue("runs", 20);
    int nodes = a.intValue("nodes", 3);
    int chainLength = a.intValue("chain-length", 3);
    long t = a.longValue("session-timeout-ms", 4000);
    long intervalMs = a.longValue("interval-ms", 10);
    long[] settles = settleTimes(a.string("settle-ms", "0,3000"));
    long budgetNanos = TimeUnit.MINUTES.toNanos(a.longValue("max-minutes", 30));
    Duration restoreTimeout = Duration.ofSeconds(a.longValue("restore-timeout-s", 180));
    Path json = a.path("json", Path.of("target/failover-benchmark.json"));
    Path given = a.path("data", null);
    Path data = given != null ? given : Files.createTempDirectory("catena-failover");
    var options =
        new BenchCluster.Options(
            data,
            nodes,
            chainLength,
            a.intValue("zk-port", 23181),
            a.intValue("base-port", 23200),
            Duration.ofMillis(t),
            a.string("fsync", "group"));
    long start = System.nanoTime();
    var results = new ArrayList<Run>();
    try (var cluster = BenchCluster.start(options)) {
      if (!cluster.awaitReady(nodes, Duration.ofSeconds(60))) {
        throw new IllegalStateException("cluster not ready in 60 s; see node logs under " + data);
      }
      if (!cluster.await(() -> allActive(cluster, chainLength), Duration.ofSeconds(60), 100)) {
        throw new IllegalStateException("chains not configured in 60 s");
      }
      Map<Integer, List<String>> initial = RoleLayout.of(cluster.chains().values());
      System.out.println("initial layout: " + initial);
      try (CatenaClient client =
          CatenaClient.builder().zookeeper(cluster.zookeeper()).cluster("catena").build()) {
        client.createBucket(BUCKET);
        var ids = new ArrayList<>(initial.keySet());
        int total = runs * settles.length;
        for (int r = 0; r < total && System.nanoTime() - start < budgetNanos; r++) {
          Run run =
              runOnce(
                  cluster,
                  client,
                  r,
                  ids.get(r % ids.size()),
                  intervalMs,
                  settles[r % settles.length],
                  initial,
                  restoreTimeout);
          results.add(run);
          System.out.println(run);
        }
      }
    } finally {
      if (given == null) {
        BenchFiles.deleteTree(data);
      }
    }
    report(results, nodes, chainLength, t, intervalMs, settles, json);
  }

  /** {@code --settle-ms}: a comma-separated list of milliseconds, each ≥ 0. */
  static long[] settleTimes(String list) {
    long[] out =
        java.util.Arrays.stream(list.split(","))
            .map(String::trim)
            .mapToLong(Long::parseLong)
            .toArray();
    if (out.length == 0 || java.util.Arrays.stream(out).anyMatch(v -> v < 0)) {
      throw new BenchArgsException("--settle-ms: a list of milliseconds >= 0, got " + list);
    }
    return out;
  }

  private static Run runOnce(
      BenchCluster cluster,
      CatenaClient client,
      int r,
      int chainId,
      long intervalMs,
      long settleMs,
      Map<Integer, List<String>> initial,
      Duration restoreTimeout)
      throws InterruptedException {
    ChainConfig before = cluster.chain(chainId);
    String head = before.getMembers(0).getNodeId();
    String key = ChainKeys.keyOn(cluster.shardMap(), chainId, BUCKET, "fo-" + r + "-", 0);
    byte[] payload = new byte[1024];
    new SplittableRandom(r).nextBytes(payload);
    long windowMs = 120_000;
    try (var writer =
        new OpenLoopWriter(
            client,
            BUCKET,
            key,
            payload,
            TimeUnit.MILLISECONDS.toMicros(intervalMs),
            5_000,
            windowMs / intervalMs)) {
      if (!cluster.await(() -> writer.completed() >= 20, Duration.ofSeconds(30), 10)) {
        throw new IllegalStateException("writer made no progress before the kill");
      }
      TimeUnit.MILLISECONDS.sleep(settleMs);
      long kill = cluster.kill(head);
      long unregistered = -1;
      long epochChange = -1;
      long epochAfter = before.getEpoch();
      long deadline = kill + TimeUnit.SECONDS.toNanos(60);
      while ((unregistered < 0 || epochChange < 0) && System.nanoTime() < deadline) {
        if (unregistered < 0 && !cluster.liveNodes().contains(head)) {
          unregistered = System.nanoTime();
        }
        if (epochChange < 0) {
          ChainConfig now = cluster.chain(chainId);
          if (now.getEpoch() > before.getEpoch()) {
            epochChange = System.nanoTime();
            epochAfter = now.getEpoch();
          }
        }
        TimeUnit.MILLISECONDS.sleep(2);
      }
      // The first put issued at or after the kill, answered (ack or error) within 60 s or failed.
      cluster.await(
          () -> {
            var o = writer.firstPutAfter(kill).outcome();
            return o == FirstPutAfterKill.Outcome.ACKED || o == FirstPutAfterKill.Outcome.FAILED;
          },
          Duration.ofSeconds(60),
          5);
      FirstPutAfterKill firstPut = writer.firstPutAfter(kill);
      writer.stop(35_000);
      long failures = writer.failures();
      cluster.startNode(head);
      long restart = System.nanoTime();
      boolean restored =
          cluster.await(
              () -> RoleLayout.of(cluster.chains().values()).equals(initial), restoreTimeout, 100);
      long restoreMs = restored ? millis(System.nanoTime() - restart) : -1;
      if (!restored) {
        System.out.println(
            "roles not restored within "
                + restoreTimeout
                + ": "
                + RoleLayout.of(cluster.chains().values()));
      }
      return new Run(
          r,
          settleMs,
          chainId,
          head,
          before.getEpoch(),
          epochAfter,
          since(kill, unregistered),
          since(kill, epochChange),
          firstPut,
          failures,
          restoreMs);
    }
  }

  private static boolean allActive(BenchCluster cluster, int chainLength) {
    var chains = cluster.chains();
    if (chains.isEmpty()) {
      return false;
    }
    for (ChainConfig c : chains.values()) {
      if (c.getMembersCount() != chainLength) {
        return false;
      }
      for (ChainMember m : c.getMembersList()) {
        if (m.getState() != MemberState.ACTIVE) {
          return false;
        }
      }
    }
    return true;
  }

  private static long clientLag(Run r) {
    return r.epochChangeMs() < 0 || r.firstPutAckMs() < 0
        ? -1
        : Math.max(0, r.firstPutAckMs() - r.epochChangeMs());
  }

  private static long since(long from, long to) {
    return to < 0 ? -1 : millis(to - from);
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static void report(
      List<Run> runs,
      int nodes,
      int chainLength,
      long t,
      long intervalMs,
      long[] settles,
      Path json)
      throws IOException {
    var perRun =
        new MarkdownTable(
            "run",
            "settle (ms)",
            "chain",
            "killed head",
            "epoch",
            "unregistered (ms)",
            "epoch change (ms)",
            "kill → ack of the first put issued at or after it (ms)",
            "epoch change → that ack (ms)",
            "roles restored after restart (ms)");
    for (Run r : runs) {
      perRun.row(
          r.run(),
          r.settleMs(),
          r.chainId(),
          r.killed(),
          r.epochBefore() + "→" + r.epochAfter(),
          r.unregisteredMs(),
          r.epochChangeMs(),
          r.firstPut().failed() ? "FAILED (" + r.firstPut().outcome() + ")" : r.firstPutAckMs(),
          clientLag(r),
          r.restoreMs());
    }
    LatencyStats unreg = stats(runs, Run::unregisteredMs);
    LatencyStats epoch = stats(runs, Run::epochChangeMs);
    LatencyStats lag = stats(runs, FailoverBenchmark::clientLag);
    LatencyStats restore = stats(runs, Run::restoreMs);
    long target = t + 500;
    var summary =
        new MarkdownTable(
            "from the kill to", "runs", "failed runs", "p50 (ms)", "p99 (ms)", "max (ms)");
    summary.row(
        "registration gone (session expired)",
        unreg.count(),
        "",
        unreg.p50Millis(),
        unreg.p99Millis(),
        unreg.maxMillis());
    summary.row(
        "epoch change in ZooKeeper",
        epoch.count(),
        "",
        epoch.p50Millis(),
        epoch.p99Millis(),
        epoch.maxMillis());
    List<Summary> perSettle = new ArrayList<>();
    for (long settle : settles) {
      Summary s = Summary.of(runs, settle, target);
      perSettle.add(s);
      summary.row(
          "ack of the first put issued at or after the kill, settle " + settle + " ms",
          s.runs(),
          s.failedRuns(),
          s.ack().p50Millis(),
          s.ack().p99Millis(),
          s.ack().maxMillis());
    }
    summary.row(
        "(epoch change →) that ack",
        lag.count(),
        "",
        lag.p50Millis(),
        lag.p99Millis(),
        lag.maxMillis());
    summary.row(
        "(restart →) roles restored",
        restore.count(),
        "",
        restore.p50Millis(),
        restore.p99Millis(),
        restore.maxMillis());
    boolean met = perSettle.stream().allMatch(Summary::targetMet);
    System.out.println();
    System.out.printf(
        "%d nodes, chain length %d, session timeout T = %d ms, a put every %d ms, settle times %s"
            + " ms before the kills; target p99 ≤ T + 500 = %d ms with no failed run: %s%n%n",
        nodes,
        chainLength,
        t,
        intervalMs,
        java.util.Arrays.toString(settles),
        target,
        met ? "met" : "NOT met");
    System.out.println(summary.render());
    System.out.println(perRun.render());
    var out = new LinkedHashMap<String, Object>();
    out.put("benchmark", "failover");
    out.put("nodes", nodes);
    out.put("chainLength", chainLength);
    out.put("sessionTimeoutMs", t);
    out.put("putIntervalMs", intervalMs);
    out.put("targetP99Ms", target);
    out.put("targetMet", met);
    out.put("unregistered", statsJson(unreg));
    out.put("epochChange", statsJson(epoch));
    var bySettle = new ArrayList<Object>();
    for (Summary s : perSettle) {
      var m = statsJson(s.ack());
      m.put("settleMs", s.settleMs());
      m.put("runs", s.runs());
      m.put("failedRuns", s.failedRuns());
      m.put("targetMet", s.targetMet());
      bySettle.add(m);
    }
    out.put("firstPutAtOrAfterKillToAck", bySettle);
    out.put("epochChangeToAck", statsJson(lag));
    out.put("rolesRestoredAfterRestart", statsJson(restore));
    var list = new ArrayList<Object>();
    for (Run r : runs) {
      var m = new LinkedHashMap<String, Object>();
      m.put("run", r.run());
      m.put("settleMs", r.settleMs());
      m.put("chainId", r.chainId());
      m.put("killed", r.killed());
      m.put("epochBefore", r.epochBefore());
      m.put("epochAfter", r.epochAfter());
      m.put("unregisteredMs", r.unregisteredMs());
      m.put("epochChangeMs", r.epochChangeMs());
      m.put("firstPut", r.firstPut().outcome().toString());
      m.put("firstPutAckMs", r.firstPutAckMs());
      m.put("failedPuts", r.failedPuts());
      m.put("rolesRestoredMs", r.restoreMs());
      list.add(m);
    }
    out.put("runs", list);
    BenchFiles.writeReport(json, Json.write(out));
    System.out.println("JSON: " + json.toAbsolutePath());
  }

  private static LatencyStats stats(List<Run> runs, java.util.function.ToLongFunction<Run> f) {
    var values = new ArrayList<Long>();
    for (Run r : runs) {
      long v = f.applyAsLong(r);
      if (v >= 0) {
        values.add(v);
      }
    }
    return LatencyStats.of(values);
  }

  static Map<String, Object> statsJson(LatencyStats s) {
    var m = new LinkedHashMap<String, Object>();
    m.put("count", s.count());
    m.put("p50Ms", s.p50Millis());
    m.put("p99Ms", s.p99Millis());
    m.put("maxMs", s.maxMillis());
    return m;
  }
}
