package dev.catena.tests.bench.compare;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one phase (one configuration, one workload, one load mode, one round) measured.
 *
 * @param config the system under test
 * @param workload the workload
 * @param mode how load was offered
 * @param round round number (from 1)
 * @param completed operations that succeeded
 * @param failed operations that failed (counted, never dropped)
 * @param nanos wall time from the first request's (intended) start to the last completion
 * @param latencyMicros latency of the successful operations in microseconds (open loop: from the
 *     intended start)
 * @param cpuNanosByProcess CPU time (user + system) each server process used during the phase
 * @param clientCpuNanos CPU time of the benchmark's own process (client, ZooKeeper, coordinator)
 * @param peakOpsPerSecond for an overload phase, the throughput of the closed-loop run just before
 *     it (its offered rate is twice this); 0 otherwise
 * @param failuresByKind failed operations by kind ({@link FailureKind})
 */
public record PhaseResult(
    SystemConfig config,
    Workload workload,
    LoadMode mode,
    int round,
    long completed,
    long failed,
    long nanos,
    Histogram latencyMicros,
    Map<String, Long> cpuNanosByProcess,
    long clientCpuNanos,
    double peakOpsPerSecond,
    Map<String, Long> failuresByKind) {

  public PhaseResult {
    cpuNanosByProcess = Map.copyOf(cpuNanosByProcess);
    failuresByKind = Map.copyOf(failuresByKind);
  }

  /** A phase without a peak reference and without failures by kind. */
  public PhaseResult(
      SystemConfig config,
      Workload workload,
      LoadMode mode,
      int round,
      long completed,
      long failed,
      long nanos,
      Histogram latencyMicros,
      Map<String, Long> cpuNanosByProcess,
      long clientCpuNanos) {
    this(
        config,
        workload,
        mode,
        round,
        completed,
        failed,
        nanos,
        latencyMicros,
        cpuNanosByProcess,
        clientCpuNanos,
        0,
        Map.of());
  }

  /** Successful operations per second. */
  public double opsPerSecond() {
    return nanos <= 0 ? 0 : completed * 1e9 / nanos;
  }

  /** Payload megabytes (10^6 bytes) per second moved by the successful operations. */
  public double megabytesPerSecond() {
    return opsPerSecond() * workload.valueBytes() / 1e6;
  }

  /** CPU time of all server processes together. */
  public long serverCpuNanos() {
    return cpuNanosByProcess.values().stream().mapToLong(Long::longValue).sum();
  }
}
