package dev.catena.tests.bench.compare;

import dev.catena.tests.bench.failover.BenchFiles;
import dev.catena.tests.bench.failover.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's report into the output directory: {@code bench.json} (settings, disk baseline, one
 * summary row per configuration × workload × load mode, every phase, the targets), {@code bench.md}
 * ({@link MarkdownReport}), the plots ({@link BenchPlots}) and {@code bench.log} (the run's
 * progress lines).
 */
final class ReportWriter {
  private final BenchOptions o;
  private final List<String> header;
  private final Summaries summaries;
  private final List<PhaseResult> phases;
  private final DiskBaseline disk;
  private final List<TargetResult> targets;
  private final List<String> log;

  ReportWriter(
      BenchOptions o,
      List<String> header,
      Summaries summaries,
      List<PhaseResult> phases,
      DiskBaseline disk,
      List<TargetResult> targets,
      List<String> log) {
    this.o = o;
    this.header = header;
    this.summaries = summaries;
    this.phases = phases;
    this.disk = disk;
    this.targets = targets;
    this.log = log;
  }

  BenchRunner.Report write() throws IOException {
    Path dir = o.out();
    String md = MarkdownReport.render(header, o.configs(), o.workloads(), summaries, disk, targets);
    Path json = dir.resolve("bench.json");
    Path mdFile = dir.resolve("bench.md");
    BenchFiles.writeReport(json, Json.write(json()));
    BenchFiles.writeReport(mdFile, md);
    synchronized (log) {
      BenchFiles.writeReport(dir.resolve("bench.log"), String.join("\n", log) + "\n");
    }
    List<Path> plots = BenchPlots.write(dir, o.configs(), summaries);
    return new BenchRunner.Report(md, json, mdFile, plots);
  }

  Map<String, Object> json() {
    var m = new LinkedHashMap<String, Object>();
    m.put("header", header);
    m.put("settings", settings());
    m.put("ratis", RatisSettings.settings(o.fsync(), o.ratisProperties()));
    var d = new LinkedHashMap<String, Object>();
    d.put("bytes", disk.bytes());
    d.put("write_mb_per_s", disk.writeMegabytesPerSecond());
    d.put("read_mb_per_s", disk.readMegabytesPerSecond());
    m.put("raw_disk", d);
    var rows = new ArrayList<Object>();
    for (SummaryRow r : summaries.rows()) {
      var row = new LinkedHashMap<String, Object>();
      row.put("config", r.config().label());
      row.put("workload", r.workload().label());
      row.put("mode", r.mode().kind().label());
      row.put("mode_label", r.mode().label());
      row.put("in_flight", r.mode().inFlight());
      row.put("offered_rate_per_s", r.mode().ratePerSecond());
      row.put("rounds", r.rounds());
      row.put("completed", r.completed());
      row.put("failed", r.failed());
      row.put("ops_per_s", r.opsPerSecond());
      row.put("mb_per_s", r.megabytesPerSecond());
      row.put("p50_us", r.p50Micros());
      row.put("p99_us", r.p99Micros());
      row.put("p999_us", r.p999Micros());
      row.put("server_cpu_us_per_op", r.serverCpuMicrosPerOp());
      row.put(
          "cpu_us_per_op_by_process",
          new LinkedHashMap<String, Object>(r.cpuMicrosPerOpByProcess()));
      row.put("client_cpu_us_per_op", r.clientCpuMicrosPerOp());
      row.put("failed_by_kind", new LinkedHashMap<String, Object>(r.failuresByKind()));
      if (r.peakOpsPerSecond() > 0) {
        row.put("peak_ops_per_s", r.peakOpsPerSecond());
        row.put("goodput_of_peak", r.goodputOfPeak());
      }
      rows.add(row);
    }
    m.put("rows", rows);
    var ph = new ArrayList<Object>();
    for (PhaseResult p : phases) {
      var row = new LinkedHashMap<String, Object>();
      row.put("round", p.round());
      row.put("config", p.config().label());
      row.put("workload", p.workload().label());
      row.put("mode", p.mode().label());
      row.put("completed", p.completed());
      row.put("failed", p.failed());
      row.put("seconds", p.nanos() / 1e9);
      row.put("ops_per_s", p.opsPerSecond());
      var h = p.latencyMicros();
      boolean any = h.getTotalCount() > 0;
      row.put("p50_us", any ? (double) h.getValueAtPercentile(50) : Double.NaN);
      row.put("p99_us", any ? (double) h.getValueAtPercentile(99) : Double.NaN);
      row.put("p999_us", any ? (double) h.getValueAtPercentile(99.9) : Double.NaN);
      row.put("server_cpu_ms", p.serverCpuNanos() / 1e6);
      row.put("client_cpu_ms", p.clientCpuNanos() / 1e6);
      row.put("failed_by_kind", new LinkedHashMap<String, Object>(p.failuresByKind()));
      if (p.peakOpsPerSecond() > 0) {
        row.put("peak_ops_per_s", p.peakOpsPerSecond());
      }
      ph.add(row);
    }
    m.put("phases", ph);
    var ts = new ArrayList<Object>();
    for (TargetResult t : targets) {
      var row = new LinkedHashMap<String, Object>();
      row.put("target", t.name());
      row.put("what", t.description());
      row.put("measured", t.measured());
      row.put("bound", t.bound());
      row.put("met", t.met());
      ts.add(row);
    }
    m.put("targets", ts);
    return m;
  }

  private Map<String, Object> settings() {
    var s = new LinkedHashMap<String, Object>();
    s.put("configs", o.configs().stream().map(SystemConfig::label).toList());
    s.put("workloads", o.workloads().stream().map(Workload::label).toList());
    s.put("rounds", o.rounds());
    s.put("phase_seconds", o.phase().toMillis() / 1000.0);
    s.put("max_ops", o.maxOpsSmall());
    s.put("max_ops_large", o.maxOpsLarge());
    s.put("in_flight", o.inFlight());
    s.put("in_flight_large", o.inFlightLarge());
    s.put("open_rate", o.openRate());
    s.put("open_rate_large", o.openRateLarge());
    s.put("keys", o.keys());
    s.put("large_keys", o.largeKeys());
    s.put("node_read_limit", o.nodeReadLimit());
    s.put("fsync", o.fsync().name().toLowerCase(Locale.ROOT));
    s.put("seed", o.seed());
    s.put("cores", Runtime.getRuntime().availableProcessors());
    return s;
  }
}
