package dev.catena.tests.bench.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Summarises phase results over rounds into {@link SummaryRow}s (one per configuration × workload ×
 * load mode) and looks rows up. Pure.
 */
public final class Summaries {
  private final List<SummaryRow> rows;

  private Summaries(List<SummaryRow> rows) {
    this.rows = List.copyOf(rows);
  }

  /** Groups {@code results} by configuration, workload and mode kind and summarises each group. */
  public static Summaries of(List<PhaseResult> results) {
    Map<String, List<PhaseResult>> groups = new LinkedHashMap<>();
    List<PhaseResult> sorted = new ArrayList<>(results);
    sorted.sort(
        Comparator.comparing((PhaseResult r) -> r.config())
            .thenComparing(PhaseResult::workload)
            .thenComparing(r -> r.mode().kind()));
    for (PhaseResult r : sorted) {
      groups
          .computeIfAbsent(
              r.config() + "/" + r.workload() + "/" + r.mode().kind(), k -> new ArrayList<>())
          .add(r);
    }
    var out = new ArrayList<SummaryRow>();
    for (List<PhaseResult> g : groups.values()) {
      out.add(summarise(g));
    }
    return new Summaries(out);
  }

  private static SummaryRow summarise(List<PhaseResult> g) {
    PhaseResult first = g.get(0);
    var merged = new Histogram(first.latencyMicros().getHighestTrackableValue(), 3);
    long completed = 0;
    long failed = 0;
    long serverCpu = 0;
    long clientCpu = 0;
    Map<String, Long> cpuByProcess = new TreeMap<>();
    double[] ops = new double[g.size()];
    double[] mbs = new double[g.size()];
    double[] peaks = new double[g.size()];
    Map<String, Long> kinds = new TreeMap<>();
    for (int i = 0; i < g.size(); i++) {
      PhaseResult r = g.get(i);
      merged.add(r.latencyMicros());
      completed += r.completed();
      failed += r.failed();
      serverCpu += r.serverCpuNanos();
      clientCpu += r.clientCpuNanos();
      r.cpuNanosByProcess().forEach((p, n) -> cpuByProcess.merge(p, n, Long::sum));
      ops[i] = r.opsPerSecond();
      mbs[i] = r.megabytesPerSecond();
      peaks[i] = r.peakOpsPerSecond();
      r.failuresByKind().forEach((k, n) -> kinds.merge(k, n, Long::sum));
    }
    long perOp = Math.max(1, completed);
    Map<String, Double> perProcess = new TreeMap<>();
    cpuByProcess.forEach((p, n) -> perProcess.put(p, n / 1e3 / perOp));
    boolean any = merged.getTotalCount() > 0;
    return new SummaryRow(
        first.config(),
        first.workload(),
        first.mode(),
        g.size(),
        completed,
        failed,
        median(ops),
        median(mbs),
        any ? merged.getValueAtPercentile(50) : Double.NaN,
        any ? merged.getValueAtPercentile(99) : Double.NaN,
        any ? merged.getValueAtPercentile(99.9) : Double.NaN,
        completed == 0 ? Double.NaN : serverCpu / 1e3 / perOp,
        perProcess,
        completed == 0 ? Double.NaN : clientCpu / 1e3 / perOp,
        median(peaks),
        kinds);
  }

  /** The median of {@code values} (mean of the middle two for an even count). */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /** Every row, ordered by configuration, workload and mode. */
  public List<SummaryRow> rows() {
    return rows;
  }

  /** The row of one configuration, workload and mode kind, if it ran. */
  public Optional<SummaryRow> find(SystemConfig c, Workload w, LoadMode.Kind kind) {
    return rows.stream()
        .filter(r -> r.config() == c && r.workload() == w && r.mode().kind() == kind)
        .findFirst();
  }
}
