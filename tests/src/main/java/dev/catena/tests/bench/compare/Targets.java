package dev.catena.tests.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The targets {@code catena bench} reports, each evaluated from one run's summaries and disk
 * baseline. Ratios take the closed loop with many requests in flight unless the target is about
 * latency at one request in flight. Pure.
 */
public final class Targets {
  private Targets() {}

  /** Evaluates every target. */
  public static List<TargetResult> evaluate(Summaries s, DiskBaseline disk) {
    var out = new ArrayList<TargetResult>();
    out.add(
        new TargetResult(
            "chain-3 writes ÷ Ratis writes",
            "1 KiB puts/s, closed loop, many in flight, same fsync policy",
            ratio(
                value(s, SystemConfig.CHAIN_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_MANY, OPS),
                value(s, SystemConfig.RATIS_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_MANY, OPS)),
            true,
            3.0));
    out.add(
        new TargetResult(
            "chain-3 write p50 ÷ Ratis write p50",
            "1 KiB puts, 1 in flight",
            ratio(
                value(s, SystemConfig.CHAIN_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_ONE, P50),
                value(s, SystemConfig.RATIS_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_ONE, P50)),
            false,
            0.5));
    out.add(
        new TargetResult(
            "chain-3 writes ÷ chain-1 writes",
            "1 KiB puts/s, closed loop, many in flight",
            ratio(
                value(s, SystemConfig.CHAIN_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_MANY, OPS),
                value(s, SystemConfig.CHAIN_1, Workload.PUT_1K, LoadMode.Kind.CLOSED_MANY, OPS)),
            true,
            0.5));
    out.add(
        new TargetResult(
            "tail reads ÷ chain-1 reads",
            "1 KiB gets/s of chain-3 (its tail) ÷ chain-1, many in flight",
            ratio(
                value(s, SystemConfig.CHAIN_3, Workload.GET_1K, LoadMode.Kind.CLOSED_MANY, OPS),
                value(s, SystemConfig.CHAIN_1, Workload.GET_1K, LoadMode.Kind.CLOSED_MANY, OPS)),
            true,
            0.95));
    out.add(
        new TargetResult(
            "rotated reads ÷ one-chain reads (node read limit)",
            "1 KiB gets/s under the per-node read limit: rotated-3 ÷ chain-3",
            ratio(
                value(
                    s,
                    SystemConfig.ROTATED_3,
                    Workload.GET_1K_LIMITED,
                    LoadMode.Kind.CLOSED_MANY,
                    OPS),
                value(
                    s,
                    SystemConfig.CHAIN_3,
                    Workload.GET_1K_LIMITED,
                    LoadMode.Kind.CLOSED_MANY,
                    OPS)),
            true,
            2.7));
    out.add(
        new TargetResult(
            "cluster CPU per chain-3 write (µs)",
            "CPU of all node processes per 1 KiB put, many in flight",
            value(s, SystemConfig.CHAIN_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_MANY, CPU),
            false,
            200));
    out.add(
        new TargetResult(
            "cluster CPU per tail read (µs)",
            "CPU of all node processes per chain-3 1 KiB get, many in flight",
            value(s, SystemConfig.CHAIN_3, Workload.GET_1K, LoadMode.Kind.CLOSED_MANY, CPU),
            false,
            60));
    out.add(
        new TargetResult(
            "4 MiB put MB/s ÷ raw disk write",
            "chain-3 put-4m MB/s, many in flight ÷ FileChannel write + fsync MB/s",
            ratio(
                value(s, SystemConfig.CHAIN_3, Workload.PUT_4M, LoadMode.Kind.CLOSED_MANY, MBS),
                disk == null ? Double.NaN : disk.writeMegabytesPerSecond()),
            true,
            0.5));
    out.add(
        new TargetResult(
            "4 MiB get MB/s ÷ raw disk read",
            "chain-3 get-4m MB/s, many in flight ÷ FileChannel read MB/s",
            ratio(
                value(s, SystemConfig.CHAIN_3, Workload.GET_4M, LoadMode.Kind.CLOSED_MANY, MBS),
                disk == null ? Double.NaN : disk.readMegabytesPerSecond()),
            true,
            0.5));
    out.add(
        new TargetResult(
            "chain-3 goodput at 2× overload ÷ peak",
            "1 KiB puts/s offered at twice the saturated rate for --overload-seconds ÷ that rate",
            value(
                s,
                SystemConfig.CHAIN_3,
                Workload.PUT_1K_OVERLOAD,
                LoadMode.Kind.OVERLOAD,
                SummaryRow::goodputOfPeak),
            true,
            0.9));
    out.add(
        new TargetResult(
            "chain-3 timeouts at 2× overload",
            "puts that ended in DEADLINE_EXCEEDED (pushed-back ones end in OVERLOADED)",
            s.find(SystemConfig.CHAIN_3, Workload.PUT_1K_OVERLOAD, LoadMode.Kind.OVERLOAD)
                .map(r -> (double) r.failuresByKind().getOrDefault("DEADLINE_EXCEEDED", 0L))
                .orElse(Double.NaN),
            false,
            0));
    return out;
  }

  private static final ToDoubleFunction<SummaryRow> OPS = SummaryRow::opsPerSecond;
  private static final ToDoubleFunction<SummaryRow> MBS = SummaryRow::megabytesPerSecond;
  private static final ToDoubleFunction<SummaryRow> P50 = SummaryRow::p50Micros;
  private static final ToDoubleFunction<SummaryRow> CPU = SummaryRow::serverCpuMicrosPerOp;

  private static double value(
      Summaries s, SystemConfig c, Workload w, LoadMode.Kind kind, ToDoubleFunction<SummaryRow> f) {
    Optional<SummaryRow> row = s.find(c, w, kind);
    return row.filter(r -> r.completed() > 0).map(f::applyAsDouble).orElse(Double.NaN);
  }

  /** {@code a / b}, NaN if either is NaN or b is not positive. */
  static double ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || !(b > 0)) {
      return Double.NaN;
    }
    return a / b;
  }
}
