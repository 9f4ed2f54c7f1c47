package dev.catena.tests.check;

import dev.catena.tests.linearizability.CheckResult;
import dev.catena.tests.linearizability.LostWrite;
import dev.catena.tests.linearizability.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of checking one fault-injection history.
 *
 * @param ops operations in the history (final reads included)
 * @param ok acknowledged operations
 * @param fail operations that definitely did not take effect
 * @param info operations with unknown outcome
 * @param result the linearizability check
 * @param lostAcked acknowledged writes the final reads prove lost
 * @param missingFinalReads keys whose final read failed (their loss could not be checked)
 * @param recovered whether the cluster healed (every chain full and ACTIVE) in time
 * @param nemesis what the nemesis did
 * @param requiredFaults the fewest faults the run had to inject ({@link NemesisCounts#floor}); 0
 *     when no fault was asked for
 */
public record CheckSummary(
    long ops,
    long ok,
    long fail,
    long info,
    CheckResult result,
    List<LostWrite> lostAcked,
    List<String> missingFinalReads,
    boolean recovered,
    NemesisCounts nemesis,
    int requiredFaults) {

  /** A copy with the nemesis' counts and the floor they had to reach. */
  public CheckSummary withNemesis(NemesisCounts counts, int required) {
    return new CheckSummary(
        ops, ok, fail, info, result, lostAcked, missingFinalReads, recovered, counts, required);
  }

  /** True when the nemesis injected fewer faults than required: the run tested too little. */
  public boolean starved() {
    return nemesis.faults() < requiredFaults;
  }

  /** {@code true}, {@code false} or {@code unknown} — UNKNOWN is never reported as true. */
  public String linearizable() {
    return switch (result.verdict()) {
      case LINEARIZABLE -> "true";
      case NOT_LINEARIZABLE -> "false";
      case UNKNOWN -> "unknown";
    };
  }

  /**
   * True only if linearizable, nothing lost, every final read done, the cluster recovered and the
   * nemesis was not starved.
   */
  public boolean passed() {
    return result.verdict() == Verdict.LINEARIZABLE
        && lostAcked.isEmpty()
        && missingFinalReads.isEmpty()
        && recovered
        && !starved();
  }

  /**
   * The one-line summary: {@code ops=… ok=… fail=… info=… linearizable=… lost_acked=…}, then what
   * applies of {@code final_reads_missing=…}, {@code recovered=false}, the nemesis' counts ({@link
   * NemesisCounts#line()}) and {@code nemesis starved (…)}.
   */
  public String line() {
    String s =
        String.format(
            Locale.ROOT,
            "ops=%d ok=%d fail=%d info=%d linearizable=%s lost_acked=%d",
            ops,
            ok,
            fail,
            info,
            linearizable(),
            lostAcked.size());
    if (!missingFinalReads.isEmpty()) {
      s += " final_reads_missing=" + missingFinalReads.size();
    }
    if (!recovered) {
      s += " recovered=false";
    }
    if (requiredFaults > 0 || !nemesis.equals(NemesisCounts.NONE)) {
      s += " " + nemesis.line();
    }
    if (starved()) {
      s +=
          String.format(
              Locale.ROOT,
              " nemesis starved (%d faults, at least %d required: one per %d s)",
              nemesis.faults(),
              requiredFaults,
              NemesisCounts.FLOOR_PERIOD.toSeconds());
    }
    return s;
  }
}
