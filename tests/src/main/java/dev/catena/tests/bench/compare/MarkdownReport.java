package dev.catena.tests.bench.compare;

import dev.catena.tests.bench.failover.MarkdownTable;
import java.util.List;
import java.util.Optional;

/**
 * Renders a run as Markdown: the header lines, one results row per configuration × workload (its
 * closed-loop and open-loop figures side by side), the disk baseline and the targets with their
 * verdicts. Pure.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  /**
   * @param header lines printed before the tables (settings, machine load)
   * @param configs the configurations that ran, in table order
   * @param workloads the workloads that ran, in table order
   */
  public static String render(
      List<String> header,
      List<SystemConfig> configs,
      List<Workload> workloads,
      Summaries s,
      DiskBaseline disk,
      List<TargetResult> targets) {
    var sb = new StringBuilder("# catena bench\n\n");
    for (String line : header) {
      sb.append(line).append("  \n");
    }
    sb.append('\n').append(resultsTable(configs, workloads, s)).append('\n');
    String overload = overloadTable(configs, s);
    if (!overload.isEmpty()) {
      sb.append(overload).append('\n');
    }
    if (disk != null) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "Raw disk (FileChannel, %d MiB in 4 MiB writes, one fsync; then read back): write %s"
                  + " MB/s, read %s MB/s.%n%n",
              disk.bytes() >> 20,
              Format.number(disk.writeMegabytesPerSecond()),
              Format.number(disk.readMegabytesPerSecond())));
    }
    sb.append(targetsTable(targets));
    return sb.toString();
  }

  /** One row per configuration × workload. */
  static String resultsTable(List<SystemConfig> configs, List<Workload> workloads, Summaries s) {
    var t =
        new MarkdownTable(
            "configuration",
            "workload",
            "1 in flight: ops/s",
            "1 in flight: p50 ms",
            "saturated: in flight",
            "saturated: ops/s",
            "saturated: MB/s",
            "open loop: rate/s",
            "open: p50 ms",
            "open: p99 ms",
            "open: p99.9 ms",
            "server CPU µs/op",
            "client CPU µs/op",
            "failed");
    for (SystemConfig c : configs) {
      for (Workload w : workloads) {
        if (w.modes().equals(List.of(LoadMode.Kind.OVERLOAD))) {
          continue; // in the overload table
        }
        Optional<SummaryRow> one = s.find(c, w, LoadMode.Kind.CLOSED_ONE);
        Optional<SummaryRow> many = s.find(c, w, LoadMode.Kind.CLOSED_MANY);
        Optional<SummaryRow> open = s.find(c, w, LoadMode.Kind.OPEN);
        long failed =
            one.map(SummaryRow::failed).orElse(0L)
                + many.map(SummaryRow::failed).orElse(0L)
                + open.map(SummaryRow::failed).orElse(0L);
        t.row(
            c.label(),
            w.label(),
            num(one.map(SummaryRow::opsPerSecond)),
            ms(one.map(SummaryRow::p50Micros)),
            many.map(r -> Integer.toString(r.mode().inFlight())).orElse("–"),
            num(many.map(SummaryRow::opsPerSecond)),
            num(many.map(SummaryRow::megabytesPerSecond)),
            num(open.map(r -> r.mode().ratePerSecond())),
            ms(open.map(SummaryRow::p50Micros)),
            ms(open.map(SummaryRow::p99Micros)),
            ms(open.map(SummaryRow::p999Micros)),
            num(many.map(SummaryRow::serverCpuMicrosPerOp)),
            num(many.map(SummaryRow::clientCpuMicrosPerOp)),
            failed);
      }
    }
    return t.render();
  }

  /**
   * The overload phases: peak, offered rate, goodput and how the failed requests ended (empty if
   * none ran).
   */
  static String overloadTable(List<SystemConfig> configs, Summaries s) {
    var t =
        new MarkdownTable(
            "configuration",
            "workload",
            "peak ops/s",
            "offered/s",
            "goodput ops/s",
            "goodput ÷ peak",
            "p50 ms",
            "p99 ms",
            "failed, by kind");
    boolean any = false;
    for (SystemConfig c : configs) {
      Optional<SummaryRow> r = s.find(c, Workload.PUT_1K_OVERLOAD, LoadMode.Kind.OVERLOAD);
      if (r.isEmpty()) {
        continue;
      }
      any = true;
      SummaryRow o = r.get();
      t.row(
          c.label(),
          o.workload().label(),
          Format.number(o.peakOpsPerSecond()),
          Format.number(o.mode().ratePerSecond()),
          Format.number(o.opsPerSecond()),
          Format.number(o.goodputOfPeak()),
          ms(Optional.of(o.p50Micros())),
          ms(Optional.of(o.p99Micros())),
          o.failuresByKind().isEmpty() ? "0" : o.failuresByKind().toString());
    }
    return any ? t.render() : "";
  }

  /** The targets with measured value, bound and verdict. */
  static String targetsTable(List<TargetResult> targets) {
    var t = new MarkdownTable("target", "what", "measured", "bound", "verdict");
    for (TargetResult r : targets) {
      t.row(
          r.name(),
          r.description(),
          Format.number(r.measured()),
          r.bound(),
          Double.isNaN(r.measured()) ? "not measured" : r.met() ? "met" : "not met");
    }
    return t.render();
  }

  private static String num(Optional<Double> v) {
    return Format.number(v.orElse(Double.NaN));
  }

  private static String ms(Optional<Double> micros) {
    return Format.number(micros.map(m -> m / 1000.0).orElse(Double.NaN));
  }
}
