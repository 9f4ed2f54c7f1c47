package dev.catena.tests.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.check.CheckSummary;
import dev.catena.tests.check.FaultOptions;
import dev.catena.tests.check.FaultRunner;
import dev.catena.tests.check.NemesisKind;
import dev.catena.tests.check.netns.CommandRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Without root the partition nemesis is skipped with a clear message, on any machine: the support
 * probe's commands answer as for an ordinary user, so the run uses localhost, creates no namespace,
 * says why in its log and its report, and still checks the history.
 */
class PartitionSkipIT {
  @Test
  void withoutRootPartitionsAreSkippedWithTheReason() throws Exception {
    List<String> commands = new ArrayList<>();
    CommandRunner notRoot =
        cmd -> {
          commands.add(String.join(" ", cmd));
          return cmd.equals(List.of("id", "-u"))
              ? new CommandRunner.Result(0, "1000\n")
              : new CommandRunner.Result(1, "Operation not permitted");
        };
    Path out = Path.of("target", "faults", "check-partition-skipped").toAbsolutePath();
    FaultHarness.deleteRecursively(out);
    var options =
        new FaultOptions(
            4,
            3,
            Duration.ofSeconds(5),
            2,
            4,
            EnumSet.of(NemesisKind.PARTITION),
            out,
            5,
            Duration.ofSeconds(4),
            FaultOptions.DEFAULT_REQUEST_TIMEOUT);
    var log = new ByteArrayOutputStream();
    CheckSummary summary;
    try (var ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      summary = new FaultRunner(options, ps, notRoot).run();
    }
    String expected =
        "nemesis partition skipped: needs root and network namespaces (not running as root)";
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(expected);
    assertThat(Files.readString(out.resolve("report.txt"))).contains(expected);
    assertThat(commands).containsExactly("id -u");
    assertThat(summary.passed()).as(summary.line()).isTrue();
  }
}
