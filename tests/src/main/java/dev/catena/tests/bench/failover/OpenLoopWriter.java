package dev.catena.tests.bench.failover;

import dev.catena.client.CatenaClient;
import dev.catena.client.PutOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one key at a fixed rate, open loop: a new asynchronous put is issued every interval
 * whatever the state of earlier ones (at most {@code maxInFlight} outstanding, at most {@code
 * maxWrites} in all), so a write is issued shortly after any instant of interest, such as a node
 * kill. The client retries each put with its request id. Every completion is recorded with the
 * {@link System#nanoTime()} of its issue and of its answer.
 */
final class OpenLoopWriter implements AutoCloseable {
  /** One put: its number, when it was issued and when it was answered. */
  record Sample(long id, long issuedNanos, long doneNanos, boolean ok) {}

  /** One put issued, answered or not. */
  record Issue(long id, long issuedNanos) {}

  private final CatenaClient client;
  private final String bucket;
  private final String key;
  private final byte[] payload;
  private final int maxInFlight;
  private final long maxWrites;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "open-loop-writer");
            t.setDaemon(true);
            return t;
          });
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Issue> issues = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong issued = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  OpenLoopWriter(
      CatenaClient client,
      String bucket,
      String key,
      byte[] payload,
      long intervalMicros,
      int maxInFlight,
      long maxWrites) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.payload = payload.clone();
    this.maxInFlight = maxInFlight;
    this.maxWrites = maxWrites;
    timer.scheduleAtFixedRate(this::tick, 0, intervalMicros, TimeUnit.MICROSECONDS);
  }

  private void tick() {
    if (issued.get() >= maxWrites || inFlight.get() >= maxInFlight) {
      skipped.incrementAndGet();
      return;
    }
    long id = issued.incrementAndGet();
    inFlight.incrementAndGet();
    long t0 = System.nanoTime();
    issues.add(new Issue(id, t0));
    client
        .putObjectAsync(bucket, key, payload, PutOptions.DEFAULT)
        .whenComplete(
            (meta, err) -> {
              samples.add(new Sample(id, t0, System.nanoTime(), err == null));
              inFlight.decrementAndGet();
            });
  }

  /** The first put issued at or after {@code nanos} and what has become of it so far. */
  FirstPutAfterKill firstPutAfter(long nanos) {
    return FirstPutAfterKill.of(List.copyOf(issues), List.copyOf(samples), nanos);
  }

  /** Completed puts issued in {@code [from, to)}. */
  List<Sample> issuedBetween(long from, long to) {
    var out = new ArrayList<Sample>();
    for (Sample s : samples) {
      if (s.issuedNanos() >= from && s.issuedNanos() < to) {
        out.add(s);
      }
    }
    return out;
  }

  long failures() {
    return samples.stream().filter(s -> !s.ok()).count();
  }

  long completed() {
    return samples.size();
  }

  /** Ticks that issued nothing because of the in-flight or total bound. */
  long skipped() {
    return skipped.get();
  }

  /** Stops issuing and waits up to {@code timeoutMillis} for outstanding puts. */
  void stop(long timeoutMillis) throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
