package dev.catena.chain.storage.bench;

import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Storage engine benchmark: for each {@link FsyncPolicy}, 1 KiB puts/s (several concurrent
 * submitters, each with a window of writes in flight, so group commit has something to group), 1
 * KiB gets/s and 4 MiB chunk writes in MB/s, next to raw {@link FileChannel} baselines measured in
 * the same run on the same directory. Every phase is bounded in count and time. Prints a Markdown
 * table and writes JSON next to the data directory.
 *
 * <p>Arguments (optional): {@code [dataDir] [secondsPerPhase]}.
 */
public final class StorageBenchmark {
  private static final int KIB = 1024;
  private static final int CHUNK = 4 * KIB * KIB;
  private static final int SUBMITTERS = 8;
  private static final int WINDOW = 16;
  private static final int MAX_PUTS = 400_000;
  private static final int MAX_CHUNKS = 64;

  private StorageBenchmark() {}

  /** Results of one policy. */
  record PolicyResult(
      FsyncPolicy policy,
      double putsPerSec,
      double avgBatch,
      long p50Micros,
      long p99Micros,
      double getsPerSec,
      double chunkMBps) {}

  public static void main(String[] args) throws Exception {
    Path root =
        args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("catena-storage-bench");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
    long phaseNanos = (long) (seconds * 1e9);
    Files.createDirectories(root);
    System.out.printf("data directory: %s, %.1f s per phase%n", root, seconds);

    List<PolicyResult> results = new ArrayList<>();
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      results.add(runPolicy(root.resolve(policy.name()), policy, phaseNanos));
      deleteTree(root.resolve(policy.name()));
    }
    double groupBatch =
        results.stream()
            .filter(r -> r.policy == FsyncPolicy.GROUP)
            .findFirst()
            .orElseThrow()
            .avgBatch;
    int batch = (int) Math.max(1, Math.round(groupBatch));
    Path raw = root.resolve("raw");
    Files.createDirectories(raw);
    double rawPerRecord = rawFsyncRecords(raw.resolve("a1"), 1, phaseNanos);
    double rawBatched = rawFsyncRecords(raw.resolve("a2"), batch, phaseNanos);
    double rawSeq = rawSequential(raw.resolve("b"), MAX_CHUNKS, phaseNanos);
    deleteTree(raw);

    StringBuilder md = new StringBuilder();
    md.append("| policy | 1 KiB puts/s | avg group | put p50 µs | put p99 µs | 1 KiB gets/s |")
        .append(" 4 MiB chunk MB/s | puts ÷ raw fsync/record | puts ÷ raw fsync/batch")
        .append(" | chunks ÷ raw sequential |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (PolicyResult r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.1f | %d | %d | %.0f | %.1f | %.2f | %.2f | %.2f |%n",
              r.policy,
              r.putsPerSec,
              r.avgBatch,
              r.p50Micros,
              r.p99Micros,
              r.getsPerSec,
              r.chunkMBps,
              r.putsPerSec / rawPerRecord,
              r.putsPerSec / rawBatched,
              r.chunkMBps / rawSeq));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nRaw baselines: (a) 1 KiB FileChannel write + force per record: %.0f records/s;"
                + " force per batch of %d records (GROUP's average group): %.0f records/s."
                + " (b) sequential 4 MiB FileChannel writes + one force at the end: %.1f MB/s.%n",
            rawPerRecord,
            batch,
            rawBatched,
            rawSeq));
    System.out.println();
    System.out.print(md);
    var mapper = tools.jackson.databind.json.JsonMapper.builder().build();
    var json = mapper.createObjectNode();
    var rows = json.putArray("results");
    for (PolicyResult r : results) {
      rows.addObject()
          .put("policy", r.policy.toString())
          .put("putsPerSec", r.putsPerSec)
          .put("avgBatch", r.avgBatch)
          .put("putP50Micros", r.p50Micros)
          .put("putP99Micros", r.p99Micros)
          .put("getsPerSec", r.getsPerSec)
          .put("chunkMBps", r.chunkMBps);
    }
    json.put("rawFsyncPerRecord", rawPerRecord)
        .put("rawFsyncBatch", batch)
        .put("rawFsyncBatched", rawBatched)
        .put("rawSequentialMBps", rawSeq);
    Path jsonFile = root.resolve("storage-benchmark.json");
    Files.writeString(jsonFile, mapper.writeValueAsString(json) + System.lineSeparator());
    System.out.println("JSON: " + jsonFile);
  }

  private static PolicyResult runPolicy(Path dir, FsyncPolicy policy, long phaseNanos)
      throws Exception {
    Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
    AtomicLong done = new AtomicLong();
    double putsPerSec;
    double avgBatch;
    double getsPerSec;
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir.resolve("meta"), policy)) {
      long start = System.nanoTime();
      long deadline = start + phaseNanos;
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < SUBMITTERS; t++) {
        int id = t;
        Thread th =
            new Thread(() -> submitPuts(store, id, deadline, done, latency), "submitter-" + t);
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      putsPerSec = done.get() / secs;
      avgBatch = store.writerStats().averageBatch();
      getsPerSec = gets(store, done.get(), phaseNanos);
    }
    double chunkMBps;
    try (SegmentChunkStore chunks =
        SegmentChunkStore.open(dir.resolve("chunks"), policy, 256L * KIB * KIB)) {
      byte[] data = new byte[CHUNK];
      new SplittableRandom(7).nextBytes(data);
      Semaphore window = new Semaphore(4);
      long start = System.nanoTime();
      int n = 0;
      CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
      while (n < MAX_CHUNKS && System.nanoTime() - start < phaseNanos) {
        window.acquire();
        last =
            chunks
                .write("chunk-" + n, ByteBuffer.wrap(data))
                .whenComplete((v, e) -> window.release());
        n++;
      }
      last.join();
      window.acquire(4);
      double secs = (System.nanoTime() - start) / 1e9;
      chunkMBps = n * (double) CHUNK / 1e6 / secs;
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %.0f puts/s (avg group %.1f), %.0f gets/s, %.1f MB/s chunks%n",
        policy,
        putsPerSec,
        avgBatch,
        getsPerSec,
        chunkMBps);
    return new PolicyResult(
        policy,
        putsPerSec,
        avgBatch,
        latency.getValueAtPercentile(50) / 1000,
        latency.getValueAtPercentile(99) / 1000,
        getsPerSec,
        chunkMBps);
  }

  private static void submitPuts(
      LevelDbObjectStore store, int id, long deadline, AtomicLong done, Histogram latency) {
    Semaphore window = new Semaphore(WINDOW);
    byte[] value = new byte[KIB];
    new SplittableRandom(id).nextBytes(value);
    long perThread = MAX_PUTS / SUBMITTERS;
    try {
      for (long i = 0; i < perThread && System.nanoTime() < deadline; i++) {
        window.acquire();
        long t0 = System.nanoTime();
        byte[] key = (id + ":" + i).getBytes(StandardCharsets.UTF_8);
        store
            .apply(ChainMutation.of(1, List.of(new ChainMutation.Put(key, value, i)), List.of()))
            .whenComplete(
                (v, e) -> {
                  latency.recordValue(System.nanoTime() - t0);
                  done.incrementAndGet();
                  window.release();
                });
      }
      window.acquire(WINDOW);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double gets(LevelDbObjectStore store, long written, long phaseNanos)
      throws InterruptedException {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicLong gets = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + phaseNanos / 2;
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                SplittableRandom rnd = new SplittableRandom(100 + id);
                long perThread = Math.max(1, written / SUBMITTERS);
                for (int i = 0; i < 2_000_000 && System.nanoTime() < deadline; i++) {
                  int sub = rnd.nextInt(SUBMITTERS);
                  long n = rnd.nextLong(perThread);
                  store.get(1, (sub + ":" + n).getBytes(StandardCharsets.UTF_8));
                  gets.incrementAndGet();
                }
              });
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    return gets.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** 1 KiB records written with FileChannel, force() after every {@code batch} records. */
  private static double rawFsyncRecords(Path file, int batch, long phaseNanos) throws IOException {
    ByteBuffer rec = ByteBuffer.allocateDirect(KIB);
    long n = 0;
    long start = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (n < MAX_PUTS && System.nanoTime() - start < phaseNanos) {
        for (int i = 0; i < batch; i++) {
          rec.clear();
          while (rec.hasRemaining()) {
            ch.write(rec);
          }
          n++;
        }
        ch.force(false);
      }
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** Sequential 4 MiB FileChannel writes and one force at the end, in MB/s. */
  private static double rawSequential(Path file, int maxBuffers, long phaseNanos)
      throws IOException {
    byte[] data = new byte[CHUNK];
    new SplittableRandom(7).nextBytes(data);
    ByteBuffer buf = ByteBuffer.wrap(data);
    long n = 0;
    long start = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (n < maxBuffers && System.nanoTime() - start < phaseNanos) {
        buf.clear();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        n++;
      }
      ch.force(false);
    }
    return n * (double) CHUNK / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
