package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.check.CheckCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code catena check} end to end: 60 s of kill and pause faults against a 4-node cluster; exit
 * code 0 and a summary line saying linearizable with no lost acknowledged write.
 */
class CheckSmokeIT {
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
    assertThat(out.resolve("history.jsonl")).isNotEmptyFile();
    assertThat(out.resolve("timeline.html")).isNotEmptyFile();
  }
}
