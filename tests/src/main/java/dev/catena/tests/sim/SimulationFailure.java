package dev.catena.tests.sim;

import java.util.List;

/**
 * A simulation run broke an invariant, lost liveness, or produced a history that is not
 * linearizable. The message starts with {@code seed=<n>}, names the step, the virtual time and the
 * reason, gives a one-line replay command and ends with the most recent trace lines.
 */
public final class SimulationFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final Violation violation;
  private final String reason;
  private final String traceHash;

  SimulationFailure(
      long seed,
      Violation violation,
      long step,
      long nanos,
      String reason,
      List<String> recent,
      String traceHash) {
    super(format(seed, step, nanos, violation + ": " + reason, recent));
    this.seed = seed;
    this.violation = violation;
    this.reason = reason;
    this.traceHash = traceHash;
  }

  /** SHA-256 of the trace up to the failure (the same seed fails with the same hash). */
  public String traceHash() {
    return traceHash;
  }

  /** The failing seed. */
  public long seed() {
    return seed;
  }

  /** The kind of check that failed. */
  public Violation violation() {
    return violation;
  }

  /** What failed, without the trace. */
  public String reason() {
    return reason;
  }

  /** The command that replays {@code seed}. */
  public static String replayCommand(long seed) {
    return "./mvnw -B -pl tests test -Dtest=ChainSimulationTest#replay -Dcatena.sim.seed=" + seed;
  }

  private static String format(long seed, long step, long nanos, String reason, List<String> r) {
    var sb = new StringBuilder();
    sb.append("seed=").append(seed).append(" step=").append(step);
    sb.append(" t=").append(nanos / 1_000).append("us: ").append(reason).append('\n');
    sb.append("replay: ").append(replayCommand(seed)).append('\n');
    sb.append("last ").append(r.size()).append(" trace lines:\n");
    for (String line : r) {
      sb.append("  ").append(line).append('\n');
    }
    return sb.toString();
  }
}
