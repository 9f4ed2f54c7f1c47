package dev.catena.tests.bench;

import dev.catena.tests.bench.ChainLengthBenchmark.Sample;
import dev.catena.tests.bench.failover.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.HdrHistogram.Histogram;

/**
 * Summarises {@link ChainLengthBenchmark} samples: per chain length and phase the mean throughput
 * over rounds and p50/p99 of all rounds' latencies merged; the ratios chain-3 ÷ chain-1 of the mean
 * throughputs (and per round); rendered as JSON and as a Markdown table.
 */
final class BenchReport {
  static final double WRITE_TARGET = 0.33;
  static final double READ_TARGET = 0.9;

  private final BenchConfig cfg;
  private final List<Sample> samples;

  BenchReport(BenchConfig cfg, List<Sample> samples) {
    this.cfg = cfg;
    this.samples = List.copyOf(samples);
  }

  /** Aggregate of one chain length and phase. */
  record Summary(
      int chainLength,
      String phase,
      double meanOps,
      List<Double> perRound,
      Histogram latency,
      double cpuMicrosPerOp) {
    double p50Ms() {
      return latency.getValueAtPercentile(50) / 1000.0;
    }

    double p99Ms() {
      return latency.getValueAtPercentile(99) / 1000.0;
    }
  }

  Summary summary(int chainLength, String phase) {
    var perRound = new ArrayList<Double>();
    var merged = new Histogram(3);
    long cpu = 0;
    long ops = 0;
    for (Sample s : samples) {
      if (s.chainLength() == chainLength && s.phase().equals(phase)) {
        perRound.add(s.result().opsPerSecond());
        merged.add(s.result().latencyMicros());
        cpu += s.result().cpuNanos();
        ops += s.result().completed();
      }
    }
    double mean = perRound.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return new Summary(chainLength, phase, mean, perRound, merged, cpu / 1e3 / Math.max(1, ops));
  }

  /** chain-3 ÷ chain-1 of the mean throughputs. */
  double ratio(String phase) {
    return summary(3, phase).meanOps() / summary(1, phase).meanOps();
  }

  /** chain-3 ÷ chain-1 within each round. */
  List<Double> roundRatios(String phase) {
    var a = summary(3, phase).perRound();
    var b = summary(1, phase).perRound();
    var out = new ArrayList<Double>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      out.add(a.get(i) / b.get(i));
    }
    return out;
  }

  String markdown() {
    var sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "3 nodes, %d rounds, %d B values, %d in flight, ≤ %d ops or %d s per phase\n\n",
            cfg.rounds(),
            cfg.valueBytes(),
            cfg.inFlight(),
            cfg.ops(),
            cfg.seconds()));
    sb.append(
        "| chain length | phase | ops/s (mean) | ops/s per round | p50 ms | p99 ms | CPU µs/op |\n");
    sb.append("|---:|---|---:|---|---:|---:|---:|\n");
    for (String phase : List.of("write", "read")) {
      for (int r : new int[] {1, 3}) {
        Summary s = summary(r, phase);
        sb.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %.0f | %s | %.2f | %.2f | %.0f |\n",
                r,
                phase,
                s.meanOps(),
                joined(s.perRound(), "%.0f"),
                s.p50Ms(),
                s.p99Ms(),
                s.cpuMicrosPerOp()));
      }
    }
    sb.append('\n');
    sb.append("| ratio chain-3 ÷ chain-1 | mean | per round | target |\n");
    sb.append("|---|---:|---|---|\n");
    sb.append(ratioRow("write", WRITE_TARGET));
    sb.append(ratioRow("read", READ_TARGET));
    return sb.toString();
  }

  private String ratioRow(String phase, double target) {
    double r = ratio(phase);
    return String.format(
        Locale.ROOT,
        "| %s | %.2f | %s | ≥ %.2f (%s) |\n",
        phase,
        r,
        joined(roundRatios(phase), "%.2f"),
        target,
        r >= target ? "met" : "missed");
  }

  String json() {
    var out = new LinkedHashMap<String, Object>();
    var config = new LinkedHashMap<String, Object>();
    config.put("nodes", 3);
    config.put("rounds", cfg.rounds());
    config.put("ops", cfg.ops());
    config.put("seconds", cfg.seconds());
    config.put("inFlight", cfg.inFlight());
    config.put("valueBytes", cfg.valueBytes());
    config.put("keys", cfg.keys());
    out.put("config", config);
    var rows = new ArrayList<Object>();
    for (Sample s : samples) {
      Histogram h = s.result().latencyMicros();
      var row = new LinkedHashMap<String, Object>();
      row.put("round", s.round());
      row.put("chainLength", s.chainLength());
      row.put("phase", s.phase());
      row.put("completed", s.result().completed());
      row.put("failed", s.result().failed());
      row.put("seconds", s.result().seconds());
      row.put("opsPerSecond", s.result().opsPerSecond());
      row.put("p50Micros", h.getValueAtPercentile(50));
      row.put("p99Micros", h.getValueAtPercentile(99));
      row.put("cpuMicrosPerOp", s.result().cpuMicrosPerOp());
      rows.add(row);
    }
    out.put("samples", rows);
    var sums = new ArrayList<Object>();
    for (String phase : List.of("write", "read")) {
      for (int r : new int[] {1, 3}) {
        Summary s = summary(r, phase);
        var row = new LinkedHashMap<String, Object>();
        row.put("chainLength", r);
        row.put("phase", phase);
        row.put("meanOpsPerSecond", s.meanOps());
        row.put("p50Micros", s.latency().getValueAtPercentile(50));
        row.put("p99Micros", s.latency().getValueAtPercentile(99));
        row.put("cpuMicrosPerOp", s.cpuMicrosPerOp());
        sums.add(row);
      }
    }
    out.put("summary", sums);
    out.put("ratios", writeRead(ratio("write"), ratio("read")));
    out.put("targets", writeRead(WRITE_TARGET, READ_TARGET));
    return Json.write(out);
  }

  private static Map<String, Object> writeRead(double write, double read) {
    var m = new LinkedHashMap<String, Object>();
    m.put("write", write);
    m.put("read", read);
    return m;
  }

  private static String joined(List<Double> values, String format) {
    var j = new StringJoiner(", ");
    values.forEach(v -> j.add(String.format(Locale.ROOT, format, v)));
    return j.toString();
  }
}
