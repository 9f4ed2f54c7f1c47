package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.CatenaClient;
import dev.catena.client.CatenaException;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectContent;
import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryRecorder;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import dev.catena.tests.linearizability.CheckResult;
import dev.catena.tests.linearizability.CheckerOptions;
import dev.catena.tests.linearizability.LinearizabilityChecker;
import dev.catena.tests.linearizability.LostWrite;
import dev.catena.tests.linearizability.LostWriteDetector;
import dev.catena.tests.linearizability.TimelineRenderer;
import dev.catena.tests.linearizability.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linearizability of the whole system (DESIGN §4 invariants 4, 5, 8; §9): 8 client threads, each
 * with its own client, run 500 random puts (unique values), gets and deletes on 50 keys against a
 * 3-node cluster with chains of 3. The recorded history, with one final read per key appended, must
 * be LINEARIZABLE per key (UNKNOWN fails), and no acknowledged write may be lost.
 */
class ConcurrentClientsLinearizabilityIT {
  static final int THREADS = 8;
  static final int OPS_PER_THREAD = 500;
  static final int KEYS = 50;
  static final long SEED = 4242;
  static final String BUCKET = "lin";

  @TempDir Path dir;

  @Test
  void concurrentPutsGetsAndDeletesAreLinearizable() throws Exception {
    var recorder = new HistoryRecorder();
    var unexpected = new ConcurrentLinkedQueue<String>();
    Map<String, Optional<String>> finalReads = new TreeMap<>();
    try (InProcessCluster cluster =
        InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start()) {
      cluster.awaitReady();
      try (CatenaClient admin = cluster.client()) {
        admin.createBucket(BUCKET);
      }
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        var root = new SplittableRandom(SEED);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          var worker = new Worker(t, root.split(), cluster, recorder, unexpected);
          workers.add(pool.submit(worker::run));
        }
        for (Future<?> f : workers) {
          f.get(150, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      }
      try (CatenaClient reader = cluster.client()) {
        for (int k = 0; k < KEYS; k++) {
          String key = key(k);
          long id = recorder.invoke(10_000, key, OpType.READ, null);
          Optional<String> v = read(reader, key);
          recorder.ok(id, v.orElse(null));
          finalReads.put(key, v);
        }
      }
    }
    History history = recorder.history();
    assertThat(unexpected).as("unexpected client errors").isEmpty();
    long ok = history.operations().stream().filter(o -> o.status() == OpStatus.OK).count();
    assertThat(ok)
        .as("acknowledged operations (a run where most fail checks nothing)")
        .isGreaterThanOrEqualTo((long) (0.95 * THREADS * OPS_PER_THREAD));

    CheckResult result =
        new LinearizabilityChecker(CheckerOptions.defaults().withTimeout(Duration.ofSeconds(60)))
            .check(history);
    if (result.verdict() != Verdict.LINEARIZABLE) {
      Path html = Path.of("target", "linearizability", "concurrent-clients.html");
      Files.createDirectories(html.getParent());
      TimelineRenderer.write(html, history, result, "concurrent clients, seed " + SEED);
      throw new AssertionError(
          "seed " + SEED + ": " + result.report() + "\ntimeline: " + html.toAbsolutePath());
    }
    List<LostWrite> lost = LostWriteDetector.detect(history, finalReads);
    assertThat(lost).as("lost acknowledged writes, seed %d", SEED).isEmpty();
    // Reads saw real values, not only "absent": the check had something to check.
    assertThat(
            history.operations().stream()
                .filter(o -> o.type() == OpType.READ && o.status() == OpStatus.OK)
                .map(Operation::output)
                .filter(v -> v != null)
                .count())
        .isGreaterThan(100);
  }

  static String key(int k) {
    return "key-" + k;
  }

  static Optional<String> read(CatenaClient c, String key) {
    try (ObjectContent content = c.getObject(BUCKET, key)) {
      return Optional.of(new String(content.readAllBytes(), StandardCharsets.UTF_8));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One client thread: its own client, its own seeded random, Jepsen-style process ids. */
  private record Worker(
      int thread,
      SplittableRandom rnd,
      InProcessCluster cluster,
      HistoryRecorder recorder,
      ConcurrentLinkedQueue<String> unexpected) {

    void run() {
      int process = thread;
      try (CatenaClient client =
          cluster.clientBuilder().requestTimeout(Duration.ofSeconds(10)).build()) {
        for (int i = 0; i < OPS_PER_THREAD; i++) {
          String key = key(rnd.nextInt(KEYS));
          int dice = rnd.nextInt(100);
          OpType type = dice < 40 ? OpType.WRITE : dice < 85 ? OpType.READ : OpType.DELETE;
          String value = type == OpType.WRITE ? "t" + thread + "-" + i : null;
          long id = recorder.invoke(process, key, type, value);
          try {
            switch (type) {
              case WRITE -> {
                client.putObject(BUCKET, key, value.getBytes(StandardCharsets.UTF_8));
                recorder.ok(id);
              }
              case DELETE -> {
                client.deleteObject(BUCKET, key);
                recorder.ok(id);
              }
              case READ -> recorder.ok(id, read(client, key).orElse(null));
            }
          } catch (CatenaException | UncheckedIOException e) {
            // Outcome unknown for a mutation; a failed read constrains nothing.
            if (type == OpType.READ) {
              recorder.fail(id);
            } else {
              recorder.info(id);
              process += THREADS;
            }
            if (!(e instanceof CatenaUnavailableException)) {
              unexpected.add(thread + "/" + i + " " + type + " " + key + ": " + e);
            }
          }
        }
      }
    }
  }
}
