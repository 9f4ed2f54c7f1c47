package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
  @Test
  void oneRowPerConfigurationAndWorkloadWithTheModesSideBySide() {
    var results =
        List.of(
            TargetsTest.phase(
                SystemConfig.CHAIN_1, Workload.PUT_1K, LoadMode.Kind.CLOSED_ONE, 400, 2500, 0),
            TargetsTest.phase(
                SystemConfig.CHAIN_1,
                Workload.PUT_1K,
                LoadMode.Kind.CLOSED_MANY,
                9000,
                7000,
                9000 * 120_000L),
            TargetsTest.phase(
                SystemConfig.CHAIN_1, Workload.PUT_1K, LoadMode.Kind.OPEN, 100, 1500, 0));
    var s = Summaries.of(results);
    String md =
        MarkdownReport.render(
            List.of("header line"),
            List.of(SystemConfig.CHAIN_1, SystemConfig.RATIS_3),
            List.of(Workload.PUT_1K, Workload.GET_1K),
            s,
            new DiskBaseline(64 << 20, 300, 3000),
            Targets.evaluate(s, new DiskBaseline(64 << 20, 300, 3000)));
    List<String> lines = md.lines().toList();
    assertThat(lines).contains("header line  ");
    assertThat(lines)
        .contains(
            "| chain-1 | put-1k | 400 | 2.50 | 64 | 9000 | 9.22 | 100 | 1.50 | 1.50 | 1.50 | 120 | 0.00 | 0 |");
    // Rows exist for configurations and workloads that did not run, with dashes.
    assertThat(lines)
        .contains("| ratis-3 | get-1k | – | – | – | – | – | – | – | – | – | – | – | 0 |");
    assertThat(md).contains("| chain-3 writes ÷ Ratis writes |").contains("not measured");
    assertThat(md).contains("write 300 MB/s, read 3000 MB/s");
  }

  @Test
  void formatsNumbersToThreeSignificantFigures() {
    assertThat(Format.number(12345.6)).isEqualTo("12346");
    assertThat(Format.number(12.345)).isEqualTo("12.3");
    assertThat(Format.number(1.2345)).isEqualTo("1.23");
    assertThat(Format.number(0.012345)).isEqualTo("0.012");
    assertThat(Format.number(Double.NaN)).isEqualTo("–");
  }
}
