package dev.catena.tests.bench.compare;

import dev.catena.tests.bench.failover.BenchFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One {@code catena bench} run: measures the raw disk, starts the systems ({@link Systems}),
 * preloads every key, warms each configuration up, then runs the rounds. A round runs every
 * workload in every load mode against every configuration, configurations interleaved phase by
 * phase (their order rotates from round to round), so that drifting machine load affects all alike.
 * Per phase it records throughput, HdrHistogram latency and the CPU each server process used. At
 * the end it writes the report ({@link ReportWriter}) and stops everything it started, also on
 * failure and on SIGINT.
 */
public final class BenchRunner {
  /** Where the report went and its Markdown text. */
  public record Report(String markdown, Path json, Path md, List<Path> plots) {}

  private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long PRELOAD_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final int PRELOAD_LARGE_IN_FLIGHT = 4;

  private final BenchOptions o;
  private final PrintStream out;
  private final PrintStream err;
  private final ProcCpu cpu = ProcCpu.linux();
  private final byte[][] smallValues;
  private final byte[][] largeValues;
  private final List<String> log = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  public BenchRunner(BenchOptions o, PrintStream out, PrintStream err) {
    this.o = o;
    this.out = out;
    this.err = err;
    var rnd = new SplittableRandom(o.seed());
    smallValues = new byte[64][Workload.SMALL_BYTES];
    for (byte[] v : smallValues) {
      rnd.nextBytes(v);
    }
    largeValues = new byte[2][Workload.LARGE_BYTES];
    for (byte[] v : largeValues) {
      rnd.nextBytes(v);
    }
  }

  /** Runs the whole benchmark and writes the report. */
  public Report run() throws Exception {
    boolean tempData = o.dataDir() == null;
    Path data = tempData ? Files.createTempDirectory("catena-bench-") : o.dataDir();
    Files.createDirectories(data);
    var closer = new Closer();
    if (tempData) {
      // Registered first, so removed last: after every process using it has stopped, also when
      // the run ends through the shutdown hook.
      closer.add(() -> BenchFiles.deleteTree(data));
    }
    Thread hook = new Thread(closer::close, "catena-bench-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ExecutorService issuer = Executors.newSingleThreadExecutor(daemon("bench-issuer"));
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("bench-timer"));
    ExecutorService drain = Executors.newCachedThreadPool(daemon("bench-drain"));
    closer.add(issuer::shutdownNow);
    closer.add(timer::shutdownNow);
    closer.add(drain::shutdownNow);
    try {
      String loadBefore = loadAverage();
      long t0 = System.nanoTime();
      note("raw disk baseline: %d MiB", o.diskBytes() >> 20);
      DiskBaseline disk = RawDisk.measure(data.resolve("raw-disk"), o.diskBytes(), o.seed());
      note(
          "raw disk: write %.0f MB/s, read %.0f MB/s",
          disk.writeMegabytesPerSecond(), disk.readMegabytesPerSecond());
      note("starting %s", o.configs());
      List<BenchTarget> targets = Systems.start(o, data, closer, drain);
      var runner = new LoadRunner(issuer, timer, DRAIN_NANOS);
      for (BenchTarget t : targets) {
        preload(runner, t);
      }
      for (BenchTarget t : targets) {
        warmUp(runner, t);
      }
      List<PhaseResult> results = rounds(runner, targets);
      String loadAfter = loadAverage();
      double minutes = (System.nanoTime() - t0) / 60e9;
      Summaries summaries = Summaries.of(results);
      List<TargetResult> verdicts = Targets.evaluate(summaries, disk);
      var header =
          List.of(
              String.format(
                  Locale.ROOT,
                  "%d round(s), phases of %.1f s (at most %d ops with 1 KiB, %d with 4 MiB), %d"
                      + " (1 KiB) and %d (4 MiB) in flight when saturated, open loop at %s/s (1 KiB) and %s/s (4 MiB),"
                      + " node read limit %s/s, fsync %s, %d + %d preloaded keys, seed %d.",
                  o.rounds(),
                  o.phase().toMillis() / 1000.0,
                  o.maxOpsSmall(),
                  o.maxOpsLarge(),
                  o.inFlight(),
                  o.inFlightLarge(),
                  Format.number(o.openRate()),
                  Format.number(o.openRateLarge()),
                  Format.number(o.nodeReadLimit()),
                  o.fsync().name().toLowerCase(Locale.ROOT),
                  o.keys(),
                  o.largeKeys(),
                  o.seed()),
              String.format(
                  Locale.ROOT,
                  "Machine: %d cores; load average before %s, after %s; %.1f minutes.",
                  Runtime.getRuntime().availableProcessors(),
                  loadBefore,
                  loadAfter,
                  minutes));
      return new ReportWriter(o, header, summaries, results, disk, verdicts, log).write();
    } finally {
      closer.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it closes the same things
      }
    }
  }

  private void preload(LoadRunner runner, BenchTarget t) throws InterruptedException {
    note("%s: preloading %d + %d keys", t.config().label(), o.keys(), o.largeKeys());
    LoadRunner.Outcome small =
        runner.closed(
            o.inFlight(),
            o.keys(),
            PRELOAD_NANOS,
            i -> t.put(i, false, smallValues[i % smallValues.length]),
            LoadRunner.Gate.NONE);
    LoadRunner.Outcome large =
        runner.closed(
            Math.min(PRELOAD_LARGE_IN_FLIGHT, o.inFlightLarge()),
            o.largeKeys(),
            PRELOAD_NANOS,
            i -> t.put(i, true, largeValues[i % largeValues.length]),
            LoadRunner.Gate.NONE);
    if (small.completed() != o.keys() || large.completed() != o.largeKeys()) {
      throw new IllegalStateException(
          t.config().label()
              + ": preload wrote "
              + small.completed()
              + "/"
              + o.keys()
              + " small and "
              + large.completed()
              + "/"
              + o.largeKeys()
              + " large keys; first error: "
              + (small.error() != null ? small.error() : large.error()));
    }
  }

  private void warmUp(LoadRunner runner, BenchTarget t) throws InterruptedException {
    if (o.warmup().isZero()) {
      return;
    }
    note("%s: warming up for %s", t.config().label(), o.warmup());
    long half = o.warmup().toNanos() / 2;
    OpMix mix = OpMix.generate(Workload.YCSB_A, o.maxOpsSmall(), o.keys(), o.seed() - 1);
    runner.closed(
        o.inFlight(), o.maxOpsSmall(), half, op(t, Workload.YCSB_A, mix), LoadRunner.Gate.NONE);
    runner.closed(1, o.maxOpsSmall(), half, op(t, Workload.YCSB_A, mix), LoadRunner.Gate.NONE);
  }

  private List<PhaseResult> rounds(LoadRunner runner, List<BenchTarget> targets)
      throws InterruptedException {
    int perRound = 0;
    for (Workload w : o.workloads()) {
      perRound += w.modes().size() * targets.size();
    }
    var results = new ArrayList<PhaseResult>();
    try (ProgressBar bar = progressBar(perRound * o.rounds())) {
      for (int round = 1; round <= o.rounds(); round++) {
        for (Workload w : o.workloads()) {
          for (LoadMode.Kind kind : w.modes()) {
            for (int k = 0; k < targets.size(); k++) {
              BenchTarget t = targets.get((k + round - 1) % targets.size());
              if (bar != null) {
                bar.setExtraMessage(
                    String.format(
                        Locale.ROOT,
                        "round %d %s %s %s",
                        round,
                        t.config().label(),
                        w.label(),
                        kind.label()));
              }
              PhaseResult r = phase(runner, t, w, kind, round);
              results.add(r);
              logPhase(r);
              if (bar != null) {
                bar.step();
              }
            }
          }
        }
      }
    }
    return results;
  }

  private ProgressBar progressBar(int phases) {
    if (!o.progress()) {
      return null;
    }
    return new ProgressBarBuilder()
        .setTaskName("catena bench")
        .setInitialMax(phases)
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(err))
        .setUpdateIntervalMillis(500)
        .build();
  }

  private LoadMode mode(Workload w, LoadMode.Kind kind) {
    return switch (kind) {
      case CLOSED_ONE -> new LoadMode(kind, 1, 0);
      case CLOSED_MANY -> new LoadMode(kind, w.large() ? o.inFlightLarge() : o.inFlight(), 0);
      case OPEN ->
          new LoadMode(
              kind,
              w.large() ? Math.max(o.inFlightLarge(), 64) : Math.max(o.inFlight(), 4096),
              w.large() ? o.openRateLarge() : o.openRate());
      case OVERLOAD -> throw new IllegalArgumentException("an overload's rate comes from its peak");
    };
  }

  /** Requests an overload phase may have outstanding (retrying clients hold many). */
  private static final int OVERLOAD_OUTSTANDING = 65_536;

  private PhaseResult phase(
      LoadRunner runner, BenchTarget t, Workload w, LoadMode.Kind kind, int round)
      throws InterruptedException {
    int maxOps = w.large() ? o.maxOpsLarge() : o.maxOpsSmall();
    long nanos = o.phase().toNanos();
    int keyspace = w.large() ? o.largeKeys() : o.keys();
    long seed = o.seed() * 1_000_003L + round * 7919L + w.ordinal() * 131L + kind.ordinal();
    double peak = 0;
    LoadMode mode;
    if (kind == LoadMode.Kind.OVERLOAD) {
      // The peak first (closed loop, as the saturated phases), then twice that, offered open loop.
      t.refreshRouting();
      OpMix peakMix = OpMix.generate(w, maxOps, keyspace, ~seed);
      // Four times the saturated phases' concurrency: at 64 in flight a chain is latency-bound
      // below its capacity, and twice that would not be an overload.
      LoadRunner.Outcome p =
          runner.closed(4 * o.inFlight(), maxOps, nanos, op(t, w, peakMix), LoadRunner.Gate.NONE);
      peak = p.nanos() <= 0 ? 0 : p.completed() * 1e9 / p.nanos();
      mode = new LoadMode(kind, OVERLOAD_OUTSTANDING, Math.max(1, 2 * peak));
      nanos = o.overload().toNanos();
      maxOps = (int) Math.min(Integer.MAX_VALUE - 1, 4 * peak * o.overload().toSeconds() + 1000);
    } else {
      mode = mode(w, kind);
    }
    int count = maxOps;
    if (kind == LoadMode.Kind.OPEN || kind == LoadMode.Kind.OVERLOAD) {
      count =
          (int) Math.min(maxOps, new OpenLoopSchedule(0, mode.ratePerSecond()).countWithin(nanos));
    }
    // The same seed for every configuration: each sees the same key and operation sequence.
    OpMix mix = OpMix.generate(w, Math.max(1, count), keyspace, seed);
    LoadRunner.Op op = op(t, w, mix);
    LoadRunner.Gate gate = LoadRunner.Gate.NONE;
    t.refreshRouting();
    if (w.readLimited()) {
      Map<String, TokenBucket> buckets = new HashMap<>();
      gate =
          i -> {
            if (!mix.reads()[i]) {
              return 0;
            }
            String server = t.readServer(mix.keys()[i], w.large());
            return buckets
                .computeIfAbsent(
                    server, s -> new TokenBucket(o.nodeReadLimit(), 1, System::nanoTime))
                .reserve();
          };
      gate = synchronizedGate(gate);
    }
    Map<String, Long> pids = t.serverPids();
    Map<String, Long> cpu0 = cpu.sample(pids);
    long self = ProcessHandle.current().pid();
    long client0 = cpu.cpuNanos(self);
    LoadRunner.Outcome r =
        kind == LoadMode.Kind.OPEN || kind == LoadMode.Kind.OVERLOAD
            ? runner.open(
                new OpenLoopSchedule(System.nanoTime() + 1_000_000, mode.ratePerSecond()),
                mode.inFlight(),
                count,
                nanos,
                op,
                gate)
            : runner.closed(mode.inFlight(), count, nanos, op, gate);
    Map<String, Long> cpuUsed = ProcCpu.delta(cpu0, cpu.sample(pids));
    long client1 = cpu.cpuNanos(self);
    if (r.error() != null) {
      note(
          "%s %s %s round %d: %d failed %s, first error: %s",
          t.config().label(),
          w.label(),
          mode.label(),
          round,
          r.failed(),
          r.failuresByKind(),
          r.error());
    }
    return new PhaseResult(
        t.config(),
        w,
        mode,
        round,
        r.completed(),
        r.failed(),
        r.nanos(),
        r.latencyMicros(),
        cpuUsed,
        client0 < 0 || client1 < 0 ? 0 : client1 - client0,
        peak,
        r.failuresByKind());
  }

  private static LoadRunner.Gate synchronizedGate(LoadRunner.Gate g) {
    return i -> {
      synchronized (g) {
        return g.delayNanos(i);
      }
    };
  }

  private LoadRunner.Op op(BenchTarget t, Workload w, OpMix mix) {
    boolean large = w.large();
    byte[][] values = large ? largeValues : smallValues;
    return i ->
        mix.reads()[i]
            ? t.get(mix.keys()[i], large)
            : t.put(mix.keys()[i], large, values[i % values.length]);
  }

  private void logPhase(PhaseResult r) {
    var h = r.latencyMicros();
    note(
        "round %d %-9s %-14s %-12s %9.0f ops/s %8.1f MB/s p50 %8.2f ms p99 %8.2f ms"
            + " cpu %6.0f us/op (%d ok, %d failed)",
        r.round(),
        r.config().label(),
        r.workload().label(),
        r.mode().label(),
        r.opsPerSecond(),
        r.megabytesPerSecond(),
        h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0,
        h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0,
        r.completed() == 0 ? Double.NaN : r.serverCpuNanos() / 1e3 / r.completed(),
        r.completed(),
        r.failed());
  }

  private void note(String format, Object... args) {
    String line =
        String.format(Locale.ROOT, "[%6.1f s] ", (System.nanoTime() - startNanos) / 1e9)
            + String.format(Locale.ROOT, format, args);
    synchronized (log) {
      log.add(line);
    }
    if (!o.progress()) {
      out.println(line);
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
