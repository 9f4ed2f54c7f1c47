package dev.catena.tests.bench.compare;

import java.util.Map;

/**
 * One configuration × workload × load mode, summarised over all rounds: throughput is the median of
 * the rounds, latency percentiles come from the rounds' histograms merged, CPU per operation is
 * total CPU over total operations.
 *
 * @param config the system under test
 * @param workload the workload
 * @param mode the load mode
 * @param rounds rounds that ran this phase
 * @param completed successful operations, all rounds
 * @param failed failed operations, all rounds
 * @param opsPerSecond median over rounds of successful operations per second
 * @param megabytesPerSecond median over rounds of payload MB/s
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param p999Micros 99.9th percentile latency
 * @param serverCpuMicrosPerOp CPU of all server processes per successful operation
 * @param cpuMicrosPerOpByProcess the same, per server process
 * @param clientCpuMicrosPerOp CPU of the benchmark process per successful operation
 * @param peakOpsPerSecond overload phases: median over rounds of the closed-loop throughput that
 *     set the offered rate; 0 otherwise
 * @param failuresByKind failed operations by kind, all rounds
 */
public record SummaryRow(
    SystemConfig config,
    Workload workload,
    LoadMode mode,
    int rounds,
    long completed,
    long failed,
    double opsPerSecond,
    double megabytesPerSecond,
    double p50Micros,
    double p99Micros,
    double p999Micros,
    double serverCpuMicrosPerOp,
    Map<String, Double> cpuMicrosPerOpByProcess,
    double clientCpuMicrosPerOp,
    double peakOpsPerSecond,
    Map<String, Long> failuresByKind) {

  public SummaryRow {
    cpuMicrosPerOpByProcess = Map.copyOf(cpuMicrosPerOpByProcess);
    failuresByKind = Map.copyOf(failuresByKind);
  }

  /** Throughput at overload ÷ the peak that set the offered rate (NaN without a peak). */
  public double goodputOfPeak() {
    return peakOpsPerSecond > 0 ? opsPerSecond / peakOpsPerSecond : Double.NaN;
  }
}
