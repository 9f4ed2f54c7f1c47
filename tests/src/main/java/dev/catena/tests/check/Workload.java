package dev.catena.tests.check;

import dev.catena.client.CatenaClient;
import dev.catena.client.CatenaException;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectContent;
import dev.catena.tests.history.HistoryRecorder;
import dev.catena.tests.history.OpType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop register workload: {@code clients} threads, each doing one operation at a time on a
 * small keyspace ({@code k0 … k<keys-1>}) of one bucket — half puts of unique values, half gets —
 * and recording every operation in a {@link HistoryRecorder} (Jepsen style).
 *
 * <p>Outcomes: success → OK (a get of a missing key reads "absent"); {@link
 * CatenaUnavailableException} (retries exhausted), an untyped {@link CatenaException} or an I/O
 * error while reading → INFO, after which the thread continues as a fresh process; any other typed
 * exception (a definite rejection) → FAIL. Anything else is a bug: it stops the thread and is
 * rethrown by {@link #awaitDone}.
 */
public final class Workload {
  /** Process ids from this value on are used for the final reads. */
  public static final int FINAL_READ_PROCESS = 1_000_000;

  private final CatenaClient client;
  private final HistoryRecorder recorder;
  private final String bucket;
  private final int clients;
  private final int keys;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong ops = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();

  private Workload(
      CatenaClient client, HistoryRecorder recorder, String bucket, int clients, int keys) {
    this.client = client;
    this.recorder = recorder;
    this.bucket = bucket;
    this.clients = clients;
    this.keys = keys;
  }

  /** Starts {@code clients} threads; each gets its own random source split from {@code random}. */
  public static Workload start(
      CatenaClient client,
      HistoryRecorder recorder,
      String bucket,
      int clients,
      int keys,
      SplittableRandom random) {
    var w = new Workload(client, recorder, bucket, clients, keys);
    for (int i = 0; i < clients; i++) {
      int first = i;
      SplittableRandom r = random.split();
      Thread t = new Thread(() -> w.run(first, r), "client-" + i);
      t.setDaemon(true);
      w.threads.add(t);
    }
    w.threads.forEach(Thread::start);
    return w;
  }

  /** The key names. */
  public static List<String> keyNames(int keys) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      names.add("k" + i);
    }
    return names;
  }

  /** Operations completed so far. */
  public long completedOps() {
    return ops.get();
  }

  /** Asks every thread to stop after its current operation. */
  public void stop() {
    running.set(false);
  }

  /**
   * Waits for every thread.
   *
   * @throws IllegalStateException if a thread died of an unexpected exception or did not finish
   */
  public void awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      t.join(left);
      if (t.isAlive()) {
        throw new IllegalStateException(t.getName() + " still running after " + timeout);
      }
    }
    synchronized (errors) {
      if (!errors.isEmpty()) {
        throw new IllegalStateException("a client thread failed: " + errors.get(0), errors.get(0));
      }
    }
  }

  private void run(int firstProcess, SplittableRandom random) {
    int process = firstProcess;
    long seq = 0;
    try {
      while (running.get()) {
        String key = "k" + random.nextInt(keys);
        boolean ok;
        if (random.nextBoolean()) {
          ok = put(process, key, "p" + process + "-" + seq++);
        } else {
          ok = get(process, key);
        }
        ops.incrementAndGet();
        if (!ok) {
          process += clients; // the old call may still be in flight: continue as a new process
        }
      }
    } catch (RuntimeException | Error e) {
      synchronized (errors) {
        errors.add(e);
      }
    }
  }

  /** Records one put; returns false if its outcome is unknown (INFO). */
  private boolean put(int process, String key, String value) {
    long id = recorder.invoke(process, key, OpType.WRITE, value);
    try {
      client.putObject(bucket, key, value.getBytes(StandardCharsets.UTF_8));
      recorder.ok(id);
      return true;
    } catch (CatenaException e) {
      if (isIndefinite(e)) {
        recorder.info(id);
        return false;
      }
      recorder.fail(id);
      return true;
    }
  }

  /** Records one get; returns false if its outcome is unknown (INFO). */
  private boolean get(int process, String key) {
    long id = recorder.invoke(process, key, OpType.READ, null);
    try {
      Optional<String> v = read(client, bucket, key);
      recorder.ok(id, v.orElse(null));
      return true;
    } catch (CatenaException e) {
      if (isIndefinite(e)) {
        recorder.info(id);
        return false;
      }
      recorder.fail(id);
      return true;
    } catch (UncheckedIOException e) {
      recorder.info(id);
      return false;
    }
  }

  /**
   * Reads every key once (after healing and after all workload threads ended), recorded as ordinary
   * reads of process {@link #FINAL_READ_PROCESS}. Keys whose read failed are missing from the map.
   */
  public static Map<String, Optional<String>> finalReads(
      CatenaClient client, HistoryRecorder recorder, String bucket, int keys) {
    Map<String, Optional<String>> reads = new TreeMap<>();
    int process = FINAL_READ_PROCESS;
    for (String key : keyNames(keys)) {
      long id = recorder.invoke(process, key, OpType.READ, null);
      try {
        Optional<String> v = read(client, bucket, key);
        recorder.ok(id, v.orElse(null));
        reads.put(key, v);
      } catch (CatenaException | UncheckedIOException e) {
        recorder.info(id);
        process++;
      }
    }
    return reads;
  }

  /** One blocking get: the value as UTF-8, or empty if the key does not exist. */
  public static Optional<String> read(CatenaClient client, String bucket, String key) {
    try (ObjectContent c = client.getObject(bucket, key)) {
      return Optional.of(new String(c.readAllBytes(), StandardCharsets.UTF_8));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + key, e);
    }
  }

  /** Retries exhausted or an untyped failure: the operation may or may not have taken effect. */
  static boolean isIndefinite(CatenaException e) {
    return e instanceof CatenaUnavailableException || e.getClass() == CatenaException.class;
  }
}
