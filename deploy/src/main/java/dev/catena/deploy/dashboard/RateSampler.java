package dev.catena.deploy.dashboard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Turns successive scrapes of each node's cumulative traffic into rates and p99 latencies over a
 * sliding window. Pure: time comes from an injected monotonic clock (nanoseconds), so a test drives
 * it step by step. Not thread-safe (the dashboard's sampler thread owns it).
 *
 * <p>Per node it keeps the scrapes of the last {@code window} (and always the previous one, so
 * scrapes further apart than the window still give a rate). A rate is the difference of the newest
 * and the oldest kept scrape divided by the time between them; the p99 is estimated from the
 * difference of their histograms. A scrape of a new process (restart: another start time, or a
 * counter that went back) starts the node afresh, so a restart never shows as a negative or
 * inflated rate. A node has no rates until it has two scrapes of the same process.
 */
final class RateSampler {
  /**
   * Rates of one node over the window.
   *
   * @param writeP99Ms p99 of the window's write calls in milliseconds, empty without writes
   * @param readP99Ms the same for reads
   */
  record Rates(
      double writesPerSec,
      double readsPerSec,
      OptionalDouble writeP99Ms,
      OptionalDouble readP99Ms) {}

  private record Scrape(long atNanos, NodeTraffic traffic) {}

  private final long windowNanos;
  private final LongSupplier nanoTime;
  private final Map<String, ArrayDeque<Scrape>> scrapes = new HashMap<>();

  /**
   * @param window span of scrapes the rates are computed over
   * @param nanoTime monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  RateSampler(Duration window, LongSupplier nanoTime) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, not " + window);
    }
    this.windowNanos = window.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Records a scrape of {@code node} taken now. */
  void record(String node, NodeTraffic traffic) {
    long now = nanoTime.getAsLong();
    ArrayDeque<Scrape> kept = scrapes.computeIfAbsent(node, n -> new ArrayDeque<>());
    if (!kept.isEmpty() && !traffic.continues(kept.peekLast().traffic())) {
      kept.clear(); // a new process: its counters started again from zero
    }
    kept.addLast(new Scrape(now, traffic));
    while (kept.size() > 2 && now - kept.peekFirst().atNanos() > windowNanos) {
      kept.removeFirst();
    }
  }

  /** Forgets every node not in {@code nodes} (left the cluster, or no longer scraped). */
  void retain(Collection<String> nodes) {
    scrapes.keySet().retainAll(nodes);
  }

  /** The rates of {@code node} over the window; empty until it has two scrapes of one process. */
  Optional<Rates> rates(String node) {
    ArrayDeque<Scrape> kept = scrapes.get(node);
    if (kept == null || kept.size() < 2) {
      return Optional.empty();
    }
    Scrape first = kept.peekFirst();
    Scrape last = kept.peekLast();
    double seconds = (last.atNanos() - first.atNanos()) / 1e9;
    if (seconds <= 0) {
      return Optional.empty();
    }
    LatencyHistogram writes = last.traffic().writes().minus(first.traffic().writes());
    LatencyHistogram reads = last.traffic().reads().minus(first.traffic().reads());
    return Optional.of(
        new Rates(
            writes.count() / seconds,
            reads.count() / seconds,
            millis(writes.quantile(0.99)),
            millis(reads.quantile(0.99))));
  }

  private static OptionalDouble millis(OptionalDouble seconds) {
    return seconds.isPresent() ? OptionalDouble.of(seconds.getAsDouble() * 1000) : seconds;
  }
}
