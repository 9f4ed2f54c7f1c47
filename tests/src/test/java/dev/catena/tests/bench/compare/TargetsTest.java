package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TargetsTest {
  /** A phase of {@code ops} operations in one second, every latency {@code micros}. */
  static PhaseResult phase(
      SystemConfig c, Workload w, LoadMode.Kind kind, long ops, long micros, long cpuNanos) {
    var h = new Histogram(3_600_000_000L, 3);
    for (int i = 0; i < Math.min(ops, 1000); i++) {
      h.recordValue(micros);
    }
    LoadMode mode =
        switch (kind) {
          case CLOSED_ONE -> new LoadMode(kind, 1, 0);
          case CLOSED_MANY -> new LoadMode(kind, 64, 0);
          case OPEN -> new LoadMode(kind, 4096, 100);
          case OVERLOAD -> new LoadMode(kind, 65536, 2 * ops);
        };
    return new PhaseResult(c, w, mode, 1, ops, 0, 1_000_000_000L, h, Map.of("n1", cpuNanos), 0);
  }

  private static List<PhaseResult> allMet() {
    var r = new ArrayList<PhaseResult>();
    var many = LoadMode.Kind.CLOSED_MANY;
    r.add(phase(SystemConfig.CHAIN_3, Workload.PUT_1K, many, 9000, 5000, 9000 * 150_000L));
    r.add(phase(SystemConfig.RATIS_3, Workload.PUT_1K, many, 2000, 30000, 0));
    r.add(phase(SystemConfig.CHAIN_1, Workload.PUT_1K, many, 12000, 3000, 0));
    r.add(phase(SystemConfig.CHAIN_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_ONE, 500, 1000, 0));
    r.add(phase(SystemConfig.RATIS_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_ONE, 200, 4000, 0));
    r.add(phase(SystemConfig.CHAIN_3, Workload.GET_1K, many, 20000, 1000, 20000 * 50_000L));
    r.add(phase(SystemConfig.CHAIN_1, Workload.GET_1K, many, 20500, 1000, 0));
    r.add(phase(SystemConfig.CHAIN_3, Workload.GET_1K_LIMITED, many, 500, 1000, 0));
    r.add(phase(SystemConfig.ROTATED_3, Workload.GET_1K_LIMITED, many, 1450, 1000, 0));
    r.add(phase(SystemConfig.CHAIN_3, Workload.PUT_4M, many, 30, 1000, 0));
    r.add(phase(SystemConfig.CHAIN_3, Workload.GET_4M, many, 300, 1000, 0));
    r.add(overload(9500, 10_000, Map.of("OVERLOADED", 4000L)));
    return r;
  }

  /** An overload phase: {@code ops} in one second after a peak of {@code peak} ops/s. */
  static PhaseResult overload(long ops, double peak, Map<String, Long> failures) {
    PhaseResult p =
        phase(SystemConfig.CHAIN_3, Workload.PUT_1K_OVERLOAD, LoadMode.Kind.OVERLOAD, ops, 900, 0);
    return new PhaseResult(
        p.config(),
        p.workload(),
        new LoadMode(LoadMode.Kind.OVERLOAD, 65536, 2 * peak),
        1,
        ops,
        failures.values().stream().mapToLong(Long::longValue).sum(),
        p.nanos(),
        p.latencyMicros(),
        p.cpuNanosByProcess(),
        0,
        peak,
        failures);
  }

  @Test
  void timeoutsAtOverloadOrAGoodputCollapseMissTheOverloadTargets() {
    var r = allMet();
    r.removeIf(p -> p.workload() == Workload.PUT_1K_OVERLOAD);
    r.add(overload(5000, 10_000, Map.of("DEADLINE_EXCEEDED", 3L, "OVERLOADED", 9L)));
    List<TargetResult> t = Targets.evaluate(Summaries.of(r), new DiskBaseline(1, 200, 2000));
    assertThat(t.get(9).measured()).isEqualTo(0.5);
    assertThat(t.get(9).met()).isFalse();
    assertThat(t.get(10).measured()).isEqualTo(3.0);
    assertThat(t.get(10).met()).isFalse();
  }

  @Test
  void everyTargetMetWhenTheFiguresAreWithinBounds() {
    // put-4m: 30 ops/s × 4.19 MB = 126 MB/s ≥ 0.5 × 200; get-4m: 1258 MB/s ≥ 0.5 × 2000.
    var disk = new DiskBaseline(1 << 30, 200, 2000);
    List<TargetResult> t = Targets.evaluate(Summaries.of(allMet()), disk);
    assertThat(t).hasSize(11);
    assertThat(t).allSatisfy(r -> assertThat(r.met()).as(r.name()).isTrue());
    assertThat(t.get(0).measured()).isEqualTo(4.5);
    assertThat(t.get(1).measured()).isEqualTo(0.25, org.assertj.core.data.Offset.offset(0.01));
    assertThat(t.get(5).measured()).isEqualTo(150.0);
    assertThat(t.get(6).measured()).isEqualTo(50.0);
    assertThat(t.get(9).measured()).isEqualTo(0.95);
    assertThat(t.get(10).measured()).isZero();
  }

  @Test
  void aTargetOutsideItsBoundIsNotMet() {
    var r = allMet();
    r.set(1, phase(SystemConfig.RATIS_3, Workload.PUT_1K, LoadMode.Kind.CLOSED_MANY, 4000, 1, 0));
    List<TargetResult> t = Targets.evaluate(Summaries.of(r), new DiskBaseline(1, 200, 2000));
    assertThat(t.get(0).measured()).isEqualTo(2.25);
    assertThat(t.get(0).met()).isFalse();
  }

  @Test
  void aMissingMeasurementIsNotMetAndNotANumber() {
    var r = allMet();
    r.removeIf(p -> p.config() == SystemConfig.RATIS_3);
    List<TargetResult> t = Targets.evaluate(Summaries.of(r), null);
    assertThat(t.get(0).measured()).isNaN();
    assertThat(t.get(0).met()).isFalse();
    assertThat(t.get(7).met()).isFalse(); // no disk baseline
    assertThat(t.get(2).met()).isTrue();
  }

  @Test
  void summariesTakeTheMedianOfRoundsAndMergeLatencies() {
    var many = LoadMode.Kind.CLOSED_MANY;
    var r =
        List.of(
            phase(SystemConfig.CHAIN_1, Workload.PUT_1K, many, 100, 1000, 100_000_000L),
            phase(SystemConfig.CHAIN_1, Workload.PUT_1K, many, 300, 3000, 100_000_000L),
            phase(SystemConfig.CHAIN_1, Workload.PUT_1K, many, 200, 2000, 100_000_000L));
    SummaryRow row =
        Summaries.of(r).find(SystemConfig.CHAIN_1, Workload.PUT_1K, many).orElseThrow();
    assertThat(row.rounds()).isEqualTo(3);
    assertThat(row.opsPerSecond()).isEqualTo(200.0);
    assertThat(row.completed()).isEqualTo(600);
    assertThat(row.p50Micros()).isBetween(1990.0, 2010.0);
    assertThat(row.serverCpuMicrosPerOp()).isEqualTo(500.0);
    assertThat(Summaries.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
