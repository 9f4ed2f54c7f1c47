package dev.catena.tests.check;

import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryJson;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.OpType;
import dev.catena.tests.history.Operation;
import dev.catena.tests.linearizability.CheckResult;
import dev.catena.tests.linearizability.CheckerOptions;
import dev.catena.tests.linearizability.LinearizabilityChecker;
import dev.catena.tests.linearizability.LostWrite;
import dev.catena.tests.linearizability.LostWriteDetector;
import dev.catena.tests.linearizability.TimelineRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a recorded history (DESIGN §9): the per-key {@link LinearizabilityChecker} over the whole
 * history, final reads included, and the {@link LostWriteDetector} against the final reads; then
 * writes {@code history.jsonl}, {@code timeline.html} and {@code report.txt} to a directory.
 */
public final class HistoryCheck {
  private HistoryCheck() {}

  /**
   * Checks {@code history}.
   *
   * @param finalReads one read per key made after healing; keys that have writes but no entry are
   *     reported as missing (their loss is not checked)
   * @param keys every key of the workload
   * @param recovered whether the cluster healed in time
   * @param checkerTimeout the checker's overall budget
   */
  public static CheckSummary check(
      History history,
      Map<String, Optional<String>> finalReads,
      List<String> keys,
      boolean recovered,
      Duration checkerTimeout) {
    long ok = 0;
    long fail = 0;
    long info = 0;
    for (Operation op : history.operations()) {
      switch (op.status()) {
        case OK -> ok++;
        case FAIL -> fail++;
        case INFO -> info++;
      }
    }
    CheckResult result =
        new LinearizabilityChecker(CheckerOptions.defaults().withTimeout(checkerTimeout))
            .check(history);
    Set<String> missing = new TreeSet<>();
    for (String key : keys) {
      if (!finalReads.containsKey(key)) {
        missing.add(key);
      }
    }
    History checkable = history.filter(op -> !missing.contains(op.key()));
    List<LostWrite> lost = LostWriteDetector.detect(checkable, finalReads);
    List<String> missingWithWrites = new ArrayList<>();
    for (String key : missing) {
      boolean written =
          history.operations().stream()
              .anyMatch(
                  op ->
                      op.key().equals(key)
                          && op.type() == OpType.WRITE
                          && op.status() == OpStatus.OK);
      if (written) {
        missingWithWrites.add(key);
      }
    }
    return new CheckSummary(
        history.size(),
        ok,
        fail,
        info,
        result,
        lost,
        missingWithWrites,
        recovered,
        NemesisCounts.NONE,
        0);
  }

  /**
   * Writes {@code history.jsonl}, {@code timeline.html} and {@code report.txt} into {@code dir}.
   */
  public static void writeArtifacts(
      Path dir, History history, CheckSummary summary, String title, List<String> notes)
      throws IOException {
    Files.createDirectories(dir);
    HistoryJson.write(history, dir.resolve("history.jsonl"));
    TimelineRenderer.write(dir.resolve("timeline.html"), history, summary.result(), title);
    var report = new StringBuilder();
    report.append(title).append('\n').append(summary.line()).append("\n\n");
    notes.forEach(n -> report.append(n).append('\n'));
    report.append('\n').append(summary.result().report()).append('\n');
    for (LostWrite w : summary.lostAcked()) {
      report.append("LOST ").append(w).append('\n');
    }
    for (String k : summary.missingFinalReads()) {
      report.append("final read failed for key ").append(k).append('\n');
    }
    Files.writeString(dir.resolve("report.txt"), report, StandardCharsets.UTF_8);
  }
}
