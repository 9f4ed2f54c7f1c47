package dev.catena.tests.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs one closed-loop load phase: keeps {@code inFlight} asynchronous requests outstanding until
 * {@code maxOps} have been issued or {@code maxTime} has passed, whichever comes first, and records
 * each request's latency (microseconds) in an HdrHistogram.
 */
final class LoadPhase {
  /** What one phase measured. */
  record Result(
      long completed,
      long failed,
      double seconds,
      Histogram latencyMicros,
      long cpuNanos,
      String firstError) {
    double opsPerSecond() {
      return completed / seconds;
    }

    /** CPU time of the whole JVM (client and all nodes) per completed request. */
    double cpuMicrosPerOp() {
      return cpuNanos / 1e3 / Math.max(1, completed);
    }
  }

  private LoadPhase() {}

  /**
   * @param request issues request number {@code i} and returns its completion
   */
  static Result run(
      int inFlight, long maxOps, Duration maxTime, IntFunction<CompletableFuture<?>> request)
      throws InterruptedException {
    var slots = new Semaphore(inFlight);
    var recorder = new Recorder(3);
    var completed = new AtomicLong();
    var failed = new AtomicLong();
    var firstError = new AtomicReference<String>();
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    for (int i = 0; i < maxOps && System.nanoTime() < deadline; i++) {
      if (!slots.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      long t0 = System.nanoTime();
      request
          .apply(i)
          .whenComplete(
              (ok, err) -> {
                if (err == null) {
                  recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                  completed.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  firstError.compareAndSet(null, String.valueOf(err));
                }
                slots.release();
              });
    }
    // Drain: every request has the client's own deadline, so this wait is bounded too.
    if (!slots.tryAcquire(inFlight, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still outstanding 60 s after the phase ended");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(
        completed.get(),
        failed.get(),
        seconds,
        recorder.getIntervalHistogram(),
        processCpuNanos() - cpu0,
        firstError.get());
  }

  /** CPU time used by this JVM so far, or 0 where the platform does not report it. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
