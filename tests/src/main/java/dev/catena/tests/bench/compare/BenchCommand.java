package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catena bench}: Catena (chain length 1, one chain of 3, 3 rotated chains) side by side with
 * Apache Ratis (3 peers) on the same workloads, in interleaved rounds, each system started fresh by
 * the command ({@link BenchRunner}). Writes {@code bench.json}, {@code bench.md} and PNG plots into
 * the output directory and prints the Markdown. Exit code 0 when the run completed (whatever the
 * targets' verdicts: speed is reported, not asserted), 1 if it failed, 2 on bad options.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark Catena against Apache Ratis on local clusters started by the command.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "bench-out", description = "output directory")
  Path out;

  @Option(names = "--data", description = "data directory (default: a new temporary directory)")
  Path data;

  @Option(names = "--quick", description = "small smoke run (about 2-3 minutes)")
  boolean quick;

  @Option(
      names = "--configs",
      split = ",",
      description = "configurations (default all: chain-1,chain-3,rotated-3,ratis-3)")
  List<String> configs;

  @Option(
      names = "--workloads",
      split = ",",
      description =
          "workloads (default all: put-1k,get-1k,ycsb-a,ycsb-b,get-1k-limited,put-4m,get-4m)")
  List<String> workloads;

  @Option(names = "--rounds", description = "rounds (default 3, quick 1)")
  Integer rounds;

  @Option(
      names = "--phase-seconds",
      description = "time bound of each phase (default 10, quick 0.5)")
  Double phaseSeconds;

  @Option(names = "--max-ops", description = "count bound of a 1 KiB phase (default 500000)")
  Integer maxOps;

  @Option(names = "--max-ops-large", description = "count bound of a 4 MiB phase (default 2000)")
  Integer maxOpsLarge;

  @Option(names = "--in-flight", description = "requests in flight when saturating (default 64)")
  Integer inFlight;

  @Option(
      names = "--in-flight-large",
      description = "4 MiB requests in flight when saturating (default 64, quick 8)")
  Integer inFlightLarge;

  @Option(names = "--open-rate", description = "open-loop rate, 1 KiB ops/s (default 500)")
  Double openRate;

  @Option(names = "--open-rate-large", description = "open-loop rate, 4 MiB ops/s (default 5)")
  Double openRateLarge;

  @Option(names = "--keys", description = "1 KiB keyspace, preloaded (default 10000, quick 1000)")
  Integer keys;

  @Option(names = "--large-keys", description = "4 MiB keyspace, preloaded (default 16, quick 4)")
  Integer largeKeys;

  @Option(
      names = "--node-read-limit",
      description = "reads/s each server process answers in get-1k-limited (default 500)")
  Double nodeReadLimit;

  @Option(
      names = "--fsync",
      defaultValue = "group",
      description = "always | group | none: Catena nodes' policy and the matching Ratis flush")
  String fsync;

  @Option(names = "--zk-port", defaultValue = "24181", description = "ZooKeeper ports: this and +1")
  int zkPort;

  @Option(
      names = "--base-port",
      defaultValue = "24200",
      description = "node and peer ports: +1, +11..+13, +21..+23")
  int basePort;

  @Option(names = "--warmup-seconds", description = "warm-up per configuration (default 5)")
  Double warmupSeconds;

  @Option(
      names = "--overload-seconds",
      description = "length of the put-1k-overload phase at twice the peak (default 30, quick 1)")
  Double overloadSeconds;

  @Option(names = "--disk-mib", description = "raw disk baseline size (default 512, quick 64)")
  Integer diskMib;

  @Option(
      names = "--ratis-property",
      description = "Ratis setting key=value replacing the benchmark's (repeatable)")
  Map<String, String> ratisProperties;

  @Option(names = "--seed", defaultValue = "1", description = "seed of keys, values, mixes")
  long seed;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  /** Builds the validated options (throws {@link InvalidBenchOptionsException}). */
  BenchOptions options() {
    return new BenchOptions(
        out,
        data,
        parseList(configs, SystemConfig.values(), SystemConfig::byLabel),
        parseList(workloads, Workload.values(), Workload::byLabel),
        pick(rounds, 3, 1),
        Duration.ofMillis(Math.round(1000 * pick(phaseSeconds, 10.0, 0.5))),
        pick(maxOps, 500_000, 20_000),
        pick(maxOpsLarge, 2_000, 100),
        pick(inFlight, 64, 64),
        pick(inFlightLarge, 64, 8),
        pick(openRate, 500.0, 200.0),
        pick(openRateLarge, 5.0, 4.0),
        pick(keys, 10_000, 1_000),
        pick(largeKeys, 16, 4),
        pick(nodeReadLimit, 500.0, 300.0),
        parseFsync(fsync),
        zkPort,
        basePort,
        Duration.ofMillis(Math.round(1000 * pick(warmupSeconds, 5.0, 1.0))),
        Duration.ofMillis(Math.round(1000 * pick(overloadSeconds, 30.0, 1.0))),
        (long) pick(diskMib, 512, 64) << 20,
        ratisProperties == null ? Map.of() : ratisProperties,
        seed,
        !noProgress);
  }

  private <T> T pick(T given, T full, T quickValue) {
    if (given != null) {
      return given;
    }
    return quick ? quickValue : full;
  }

  private static FsyncPolicy parseFsync(String s) {
    try {
      return FsyncPolicy.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidBenchOptionsException(
          "--fsync must be always, group or none, not '" + s + "'");
    }
  }

  private static <T> List<T> parseList(List<String> given, T[] all, Function<String, T> byLabel) {
    if (given == null || given.isEmpty()) {
      return List.of(all);
    }
    var out = new ArrayList<T>();
    for (String s : given) {
      try {
        T t = byLabel.apply(s.trim());
        if (!out.contains(t)) {
          out.add(t);
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidBenchOptionsException(e.getMessage());
      }
    }
    // Keep the canonical order so tables and rounds do not depend on the command line's order.
    out.sort((a, b) -> List.of(all).indexOf(a) - List.of(all).indexOf(b));
    return out;
  }

  @Override
  public Integer call() throws Exception {
    BenchOptions o;
    try {
      o = options();
    } catch (InvalidBenchOptionsException e) {
      System.err.println("catena bench: " + e.getMessage());
      System.err.println(new CommandLine(this).getUsageMessage().lines().findFirst().orElse(""));
      return 2;
    }
    BenchRunner.Report report = new BenchRunner(o, System.out, System.err).run();
    System.out.println(report.markdown());
    System.out.println("written to " + o.out().toAbsolutePath());
    return 0;
  }

  /** Runs the command and returns its exit code (does not exit the JVM). */
  public static int execute(String... args) {
    return new CommandLine(new BenchCommand())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("catena bench failed: " + e);
              e.printStackTrace(cmd.getErr());
              return 1;
            })
        .execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
