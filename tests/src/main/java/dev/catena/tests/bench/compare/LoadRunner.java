package dev.catena.tests.bench.compare;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives one phase of load against asynchronous operations, closed loop (a fixed number of requests
 * in flight) or open loop (an {@link OpenLoopSchedule}), bounded by an operation count and a
 * duration; outstanding operations are then awaited for at most a drain timeout (and count as
 * failed if they do not finish). A {@link Gate} may delay an operation before it is sent (the
 * per-node read limit); that wait is part of its latency. Failed operations are counted, never
 * dropped, and the first error is kept.
 */
final class LoadRunner {
  /** Starts operation number {@code i}. */
  interface Op {
    CompletableFuture<?> start(int i);
  }

  /** Nanoseconds operation {@code i} must wait before it is sent (0 = at once). */
  interface Gate {
    long delayNanos(int i);

    Gate NONE = i -> 0;
  }

  /**
   * What a phase did.
   *
   * @param failuresByKind failed operations by {@link FailureKind} ({@code ABANDONED}: still
   *     outstanding when the drain timeout ended)
   */
  record Outcome(
      long completed,
      long failed,
      long nanos,
      Histogram latencyMicros,
      Throwable error,
      Map<String, Long> failuresByKind) {}

  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

  private final ExecutorService issuer;
  private final ScheduledExecutorService timer;
  private final long drainNanos;

  /**
   * @param issuer single thread that issues the next operation when one completes (closed loop)
   * @param timer runs delayed sends
   * @param drainNanos how long to wait for outstanding operations after the phase ends
   */
  LoadRunner(ExecutorService issuer, ScheduledExecutorService timer, long drainNanos) {
    this.issuer = issuer;
    this.timer = timer;
    this.drainNanos = drainNanos;
  }

  /**
   * Closed loop: {@code inFlight} requests outstanding until {@code maxOps} or {@code maxNanos}.
   */
  Outcome closed(int inFlight, int maxOps, long maxNanos, Op op, Gate gate)
      throws InterruptedException {
    var state = new State();
    long start = System.nanoTime();
    long deadline = start + maxNanos;
    var next = new AtomicInteger();
    var slots = new CountDownLatch(inFlight);
    Runnable[] issue = new Runnable[1];
    issue[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= maxOps || System.nanoTime() >= deadline) {
            slots.countDown();
            return;
          }
          long t0 = System.nanoTime();
          Runnable send =
              () ->
                  state.track(
                      op, i, t0, () -> issuer.execute(issue[0]), () -> issuer.execute(issue[0]));
          long delay = gate.delayNanos(i);
          if (delay > 0) {
            timer.schedule(send, delay, TimeUnit.NANOSECONDS);
          } else {
            send.run();
          }
        };
    for (int k = 0; k < inFlight; k++) {
      issuer.execute(issue[0]);
    }
    if (!slots.await(maxNanos + drainNanos, TimeUnit.NANOSECONDS)) {
      state.abandoned.set(Math.max(0, state.outstanding.get()));
    }
    return state.outcome(start);
  }

  /**
   * Open loop: operation {@code i} is due at {@code schedule.intendedStartNanos(i)} for every
   * {@code i} below {@code maxOps} due within {@code maxNanos}; at most {@code maxOutstanding} are
   * outstanding (an operation waits for a slot, and its latency still counts from its due time).
   */
  Outcome open(
      OpenLoopSchedule schedule, int maxOutstanding, int maxOps, long maxNanos, Op op, Gate gate)
      throws InterruptedException {
    var state = new State();
    long start = schedule.intendedStartNanos(0);
    long count = Math.min(maxOps, schedule.countWithin(maxNanos));
    long hardStop = start + maxNanos + drainNanos;
    for (int i = 0; i < count; i++) {
      long due = schedule.intendedStartNanos(i);
      for (long now; (now = System.nanoTime()) < due; ) {
        LockSupport.parkNanos(due - now);
      }
      while (state.outstanding.get() >= maxOutstanding && System.nanoTime() < hardStop) {
        LockSupport.parkNanos(50_000);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      if (System.nanoTime() >= hardStop) {
        break;
      }
      int n = i;
      Runnable send = () -> state.track(op, n, due, () -> {}, () -> {});
      long delay = gate.delayNanos(i);
      if (delay > 0) {
        timer.schedule(send, delay, TimeUnit.NANOSECONDS);
      } else {
        send.run();
      }
    }
    while (state.outstanding.get() > 0 && System.nanoTime() < hardStop) {
      LockSupport.parkNanos(1_000_000);
    }
    state.abandoned.set(Math.max(0, state.outstanding.get()));
    return state.outcome(start);
  }

  /** Counters of one phase, updated from completion threads. */
  private static final class State {
    final ConcurrentHistogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicInteger outstanding = new AtomicInteger();
    final AtomicLong abandoned = new AtomicLong();
    final AtomicLong lastDone = new AtomicLong();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();

    void track(Op op, int i, long t0, Runnable onOk, Runnable onFail) {
      outstanding.incrementAndGet();
      CompletableFuture<?> f;
      try {
        f = op.start(i);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (v, e) -> {
            long now = System.nanoTime();
            lastDone.accumulateAndGet(now, Math::max);
            if (e == null) {
              latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - t0) / 1000)));
              completed.incrementAndGet();
            } else {
              failed.incrementAndGet();
              error.compareAndSet(null, e);
              kinds.computeIfAbsent(FailureKind.of(e), k -> new LongAdder()).increment();
            }
            outstanding.decrementAndGet();
            (e == null ? onOk : onFail).run();
          });
    }

    Outcome outcome(long start) {
      long end = Math.max(lastDone.get(), start + 1);
      Histogram h = new Histogram(HIGHEST_MICROS, 3);
      h.add(latency);
      var byKind = new TreeMap<String, Long>();
      kinds.forEach((k, n) -> byKind.put(k, n.sum()));
      if (abandoned.get() > 0) {
        byKind.put("ABANDONED", abandoned.get());
      }
      return new Outcome(
          completed.get(),
          failed.get() + abandoned.get(),
          end - start,
          h,
          error.get(),
          Map.copyOf(byKind));
    }
  }
}
