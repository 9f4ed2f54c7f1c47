package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.check.CheckCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code catena check} end to end: 60 s of kill and pause faults against a 4-node cluster, with the
 * default 1 s request timeout; exit code 0 and a summary line saying linearizable with no lost
 * acknowledged write. The run must not pass for the wrong reason: the nemesis kept injecting (each
 * killed node came back as a wiped replacement, both kinds of fault happened, at least one fault
 * per 15 s), the faults left operations of unknown outcome for the checker to place, and the
 * clients got real work done.
 */
class CheckSmokeIT {
  /** Acknowledged operations the run must reach (measured: see tests/README.md). */
  static final long MIN_OK = 1000;

  @Test
  void checkWithKillAndPausePasses() throws Exception {
    Path out = Path.of("target", "faults", "check-smoke").toAbsolutePath();
    FaultHarness.deleteRecursively(out);
    int code =
        CheckCommand.execute(
            "--time",
            "60s",
            "--nemesis",
            "kill,pause",
            "--clients",
            "6",
            "--keys",
            "12",
            "--seed",
            "7",
            "--out",
            out.toString());
    String report = Files.readString(out.resolve("report.txt"));
    assertThat(report).contains("linearizable=true lost_acked=0").contains("nemesis t=");
    assertThat(code).as("exit code; report:%n%s", report).isZero();
    Map<String, Long> n = SummaryLine.numbers(report);
    assertThat(n.get("ok")).as(report).isGreaterThanOrEqualTo(MIN_OK);
    assertThat(n.get("info")).as("faults left operations of unknown outcome: %s", n).isPositive();
    assertThat(n.get("kill")).as("%s", n).isPositive();
    assertThat(n.get("pause")).as("%s", n).isPositive();
    assertThat(n.get("replace")).as("every killed node comes back: %s", n).isPositive();
    assertThat(n.get("kill") + n.get("pause"))
        .as("one fault per 15 s: %s", n)
        .isGreaterThanOrEqualTo(4);
    assertThat(report).doesNotContain("nemesis starved");
    assertThat(out.resolve("history.jsonl")).isNotEmptyFile();
    assertThat(out.resolve("timeline.html")).isNotEmptyFile();
  }
}
