package dev.catena.tests.bench;

import dev.catena.client.CatenaClient;
import dev.catena.client.ObjectContent;
import dev.catena.client.PutOptions;
import dev.catena.tests.cluster.InProcessCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Chain length 1 versus 3 on the same three-node in-process cluster setup (real ZooKeeper,
 * coordinator, LevelDB with GROUP fsync, gRPC on localhost), side by side in one JVM: rounds
 * interleave the two configurations (order alternates per round), each round starting a fresh
 * cluster. Each configuration gets a preload of every key and a warm-up, then a write phase of 1
 * KiB puts and a read phase of gets of those keys, each with 64 requests in flight through the
 * asynchronous client API and bounded by count and time. Reports throughput and HdrHistogram
 * p50/p99 per phase, and the throughput ratios chain-3 ÷ chain-1; writes JSON and a Markdown table.
 *
 * <p>A discarded warm-up round (both configurations, a quarter of the load) comes first. Besides
 * throughput and latency, each phase reports the JVM's CPU time per request: all nodes and the
 * client share this machine's cores, so CPU per request is one bound on throughput here.
 *
 * <p>System properties (defaults): {@code bench.rounds} (3), {@code bench.ops} (40000 per phase),
 * {@code bench.seconds} (10 per phase), {@code bench.inFlight} (64), {@code bench.valueBytes}
 * (1024), {@code bench.keys} (5000), {@code bench.out} ({@code target/bench}).
 *
 * <p>This is a closed-loop load: latencies are those of a saturated system and suffer from
 * coordinated omission; compare them between configurations, not with service-level targets.
 */
public final class ChainLengthBenchmark {
  private static final int[] CHAIN_LENGTHS = {1, 3};

  private ChainLengthBenchmark() {}

  /** One phase of one configuration in one round. */
  record Sample(int round, int chainLength, String phase, LoadPhase.Result result) {}

  /** Runs the benchmark and writes {@code chain-length.json} and {@code chain-length.md}. */
  public static void main(String[] args) throws Exception {
    var cfg = BenchConfig.fromSystemProperties();
    System.out.println("chain length benchmark: " + cfg);
    List<Sample> samples = new ArrayList<>();
    // Round 0 warms the JVM (JIT, class loading) for both configurations and is discarded, so
    // that the first measured configuration is not penalised.
    var warm = cfg.forWarmUp();
    for (int r : CHAIN_LENGTHS) {
      runConfiguration(warm, 0, r);
    }
    for (int round = 1; round <= cfg.rounds(); round++) {
      for (int k = 0; k < CHAIN_LENGTHS.length; k++) {
        int r = CHAIN_LENGTHS[(round % 2 == 1) ? k : CHAIN_LENGTHS.length - 1 - k];
        samples.addAll(runConfiguration(cfg, round, r));
      }
    }
    var report = new BenchReport(cfg, samples);
    Files.createDirectories(cfg.out());
    Files.writeString(cfg.out().resolve("chain-length.json"), report.json());
    Files.writeString(cfg.out().resolve("chain-length.md"), report.markdown());
    System.out.println(report.markdown());
    System.out.println("written to " + cfg.out().toAbsolutePath());
  }

  private static List<Sample> runConfiguration(BenchConfig cfg, int round, int chainLength)
      throws Exception {
    Path dir = Files.createTempDirectory("catena-bench-r" + chainLength + "-");
    var out = new ArrayList<Sample>();
    try (InProcessCluster cluster =
            InProcessCluster.builder().nodes(3).chainLength(chainLength).dataDir(dir).start();
        CatenaClient client = startAndConnect(cluster)) {
      client.createBucket("bench");
      byte[][] values = values(cfg, round * 31L + chainLength);
      // Every key once, so that every read of the read phase finds its key.
      LoadPhase.Result preload =
          LoadPhase.run(
              cfg.inFlight(),
              cfg.keys(),
              Duration.ofSeconds(120),
              i ->
                  client.putObjectAsync(
                      "bench", key(i), values[i % values.length], PutOptions.DEFAULT));
      if (preload.completed() != cfg.keys()) {
        throw new IllegalStateException(
            "preload wrote "
                + preload.completed()
                + " of "
                + cfg.keys()
                + " keys; first error: "
                + preload.firstError());
      }
      // Warm-up: JIT, connections, LevelDB memtables.
      LoadPhase.run(
          cfg.inFlight(),
          cfg.ops() / 4,
          Duration.ofSeconds(Math.max(2, cfg.seconds() / 2)),
          i ->
              client.putObjectAsync(
                  "bench", key(i % cfg.keys()), values[i % values.length], PutOptions.DEFAULT));
      LoadPhase.Result writes =
          LoadPhase.run(
              cfg.inFlight(),
              cfg.ops(),
              Duration.ofSeconds(cfg.seconds()),
              i ->
                  client.putObjectAsync(
                      "bench", key(i % cfg.keys()), values[i % values.length], PutOptions.DEFAULT));
      out.add(new Sample(round, chainLength, "write", writes));
      print(round, chainLength, "write", writes);
      var rnd = new SplittableRandom(round * 1009L + chainLength);
      int[] readKeys = rnd.ints(cfg.ops(), 0, cfg.keys()).toArray();
      LoadPhase.Result reads =
          LoadPhase.run(
              cfg.inFlight(),
              cfg.ops(),
              Duration.ofSeconds(cfg.seconds()),
              i ->
                  client
                      .getObjectAsync("bench", key(readKeys[i]))
                      .thenApply(ChainLengthBenchmark::drain));
      out.add(new Sample(round, chainLength, "read", reads));
      print(round, chainLength, "read", reads);
    } finally {
      deleteTree(dir);
    }
    return out;
  }

  private static CatenaClient startAndConnect(InProcessCluster cluster) {
    cluster.awaitReady();
    return cluster.clientBuilder().requestTimeout(Duration.ofSeconds(30)).build();
  }

  private static int drain(ObjectContent c) {
    try (c) {
      return c.readAllBytes().length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[][] values(BenchConfig cfg, long seed) {
    var rnd = new SplittableRandom(seed);
    byte[][] v = new byte[64][cfg.valueBytes()];
    for (byte[] b : v) {
      rnd.nextBytes(b);
    }
    return v;
  }

  private static String key(int i) {
    return "k" + i;
  }

  private static void print(int round, int chainLength, String phase, LoadPhase.Result r) {
    var h = r.latencyMicros();
    System.out.printf(
        Locale.ROOT,
        "round %d chain %d %-5s: %8.0f ops/s  p50 %6.2f ms  p99 %6.2f ms  cpu %5.0f us/op"
            + "  (%d ok, %d failed, %.1f s)%s%n",
        round,
        chainLength,
        phase,
        r.opsPerSecond(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        r.cpuMicrosPerOp(),
        r.completed(),
        r.failed(),
        r.seconds(),
        r.firstError() == null ? "" : " first error: " + r.firstError());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
