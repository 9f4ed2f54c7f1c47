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
    long clientCpuNanos) {

  public PhaseResult {
    cpuNanosByProcess = Map.copyOf(cpuNanosByProcess);
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
