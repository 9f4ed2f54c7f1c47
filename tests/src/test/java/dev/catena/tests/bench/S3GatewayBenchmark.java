package dev.catena.tests.bench;

import dev.catena.client.CatenaClient;
import dev.catena.client.ObjectContent;
import dev.catena.client.PutOptions;
import dev.catena.s3.S3Gateway;
import dev.catena.s3.auth.AccessKey;
import dev.catena.tests.cluster.InProcessCluster;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * PUT and GET throughput of the S3 gateway (AWS SDK for Java v2 client, default settings:
 * aws-chunked uploads with a signed trailer) against the native {@link CatenaClient}, side by side
 * on one in-process cluster (ZooKeeper, a manager, three nodes, chains of three, GROUP fsync) in
 * one JVM: 1 KiB objects with {@code bench.threads} (8) concurrent callers, {@code bench.small}
 * (2000) objects per phase; 64 MiB objects one at a time, {@code bench.large} (4) per phase. The
 * two clients alternate phase by phase after a discarded warm-up of each. Latencies are
 * HdrHistogram percentiles of a closed loop (coordinated omission: compare, do not quote as SLOs).
 * Prints a Markdown table with the ratio gateway ÷ native.
 */
public final class S3GatewayBenchmark {
  private S3GatewayBenchmark() {}

  /** One side of the comparison: put and get of one object. */
  interface Side {
    String name();

    void put(String key, long size, long seed) throws Exception;

    long get(String key) throws Exception;
  }

  record Result(String side, String phase, int ops, long bytes, double seconds, Histogram latency) {
    double opsPerSecond() {
      return ops / seconds;
    }

    double mbPerSecond() {
      return bytes / seconds / (1 << 20);
    }
  }

  public static void main(String[] args) throws Exception {
    int threads = Integer.getInteger("bench.threads", 8);
    int small = Integer.getInteger("bench.small", 2000);
    int large = Integer.getInteger("bench.large", 4);
    Path dir = Files.createTempDirectory("s3-bench");
    try (InProcessCluster cluster =
        InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start()) {
      cluster.awaitReady();
      try (CatenaClient client = cluster.client();
          S3Gateway gateway =
              S3Gateway.start(
                  client,
                  id ->
                      Optional.of(new AccessKey("bench", "bench-secret", Set.of("*")))
                          .filter(k -> k.id().equals(id)),
                  "127.0.0.1",
                  0);
          S3Client s3 =
              S3Client.builder()
                  .endpointOverride(URI.create("http://127.0.0.1:" + gateway.port()))
                  .region(Region.US_EAST_1)
                  .credentialsProvider(() -> AwsBasicCredentials.create("bench", "bench-secret"))
                  .forcePathStyle(true)
                  .build()) {
        client.createBucket("bench");
        Side nativeSide = nativeSide(client);
        Side s3Side = s3Side(s3);
        // warm-up, discarded
        for (Side s : List.of(nativeSide, s3Side)) {
          run(s, "warm", small / 4, 1024, threads);
          run(s, "warm-large", 1, 64L << 20, 1);
        }
        List<Result> results = new ArrayList<>();
        for (Side s : List.of(nativeSide, s3Side)) {
          results.addAll(run(s, "1KiB", small, 1024, threads));
        }
        for (Side s : List.of(s3Side, nativeSide)) {
          results.addAll(run(s, "64MiB", large, 64L << 20, 1));
        }
        print(results, threads);
      }
    }
  }

  private static Side nativeSide(CatenaClient c) {
    return new Side() {
      public String name() {
        return "native";
      }

      public void put(String key, long size, long seed) {
        c.putObject("bench", key, new SeededStream(seed, size), size, PutOptions.DEFAULT);
      }

      public long get(String key) throws Exception {
        try (ObjectContent o = c.getObject("bench", key)) {
          return o.stream().transferTo(OutputStream.nullOutputStream());
        }
      }
    };
  }

  private static Side s3Side(S3Client s3) {
    return new Side() {
      public String name() {
        return "gateway";
      }

      public void put(String key, long size, long seed) {
        s3.putObject(
            b -> b.bucket("bench").key(key),
            RequestBody.fromContentProvider(
                () -> new SeededStream(seed, size), size, "application/octet-stream"));
      }

      public long get(String key) throws Exception {
        try (InputStream in = s3.getObject(b -> b.bucket("bench").key(key))) {
          return in.transferTo(OutputStream.nullOutputStream());
        }
      }
    };
  }

  /** PUTs then GETs {@code n} objects of {@code size} bytes with {@code threads} callers. */
  static List<Result> run(Side side, String phase, int n, long size, int threads) throws Exception {
    String prefix = side.name() + "/" + phase + "/";
    Result put =
        timed(side.name(), phase + " PUT", n, size, threads, i -> side.put(prefix + i, size, i));
    Result get =
        timed(
            side.name(),
            phase + " GET",
            n,
            size,
            threads,
            i -> {
              if (side.get(prefix + i) != size) {
                throw new IllegalStateException("short read of " + prefix + i);
              }
            });
    return List.of(put, get);
  }

  interface Op {
    void run(int i) throws Exception;
  }

  static Result timed(String side, String phase, int n, long size, int threads, Op op)
      throws Exception {
    Histogram h = new Histogram(3);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    var next = new java.util.concurrent.atomic.AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      fs.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                  long t0 = System.nanoTime();
                  op.run(i);
                  long micros = (System.nanoTime() - t0) / 1000;
                  synchronized (h) {
                    h.recordValue(micros);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return new Result(side, phase, n, n * size, seconds, h);
  }

  static void print(List<Result> rs, int threads) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "| phase | client | ops | ops/s | MiB/s | p50 ms | p99 ms | gateway ÷ native |%n|---|---|---|---|---|---|---|---|%n");
    for (Result r : rs) {
      Result nat =
          rs.stream()
              .filter(x -> x.side().equals("native") && x.phase().equals(r.phase()))
              .findFirst()
              .orElseThrow();
      String ratio =
          r.side().equals("gateway")
              ? String.format(Locale.ROOT, "%.2f", r.opsPerSecond() / nat.opsPerSecond())
              : "";
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %.0f | %.1f | %.1f | %.1f | %s |%n",
          r.phase(),
          r.side(),
          r.ops(),
          r.opsPerSecond(),
          r.mbPerSecond(),
          r.latency().getValueAtPercentile(50) / 1000.0,
          r.latency().getValueAtPercentile(99) / 1000.0,
          ratio);
    }
    System.out.println(
        "(1 KiB phases: " + threads + " concurrent callers; 64 MiB phases: one at a time)");
  }

  /** A deterministic pseudo-random byte stream of a given length (never held in memory). */
  static final class SeededStream extends InputStream {
    private final SplittableRandom random;
    private long left;

    SeededStream(long seed, long length) {
      this.random = new SplittableRandom(seed);
      this.left = length;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      left--;
      return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      left -= n;
      return n;
    }
  }
}
