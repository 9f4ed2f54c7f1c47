package dev.catena.tests.check;

import java.time.Duration;
import java.util.Locale;

/**
 * How many times a run's nemesis did each thing, and whether that was enough. A fault is a kill, a
 * pause (also how {@code zk-expire} is done) or a partition; restarts on old data and wiped
 * replacements bring a killed node back so that the next fault can happen.
 *
 * <p>A run whose faults fall below one per {@link #FLOOR_PERIOD} (at least one) is <b>starved</b>:
 * the schedule stopped injecting, so the history says little about faults and the run fails.
 *
 * @param kills {@code kill -9} of a node process
 * @param pauses SIGSTOP past the session timeout, then SIGCONT
 * @param partitions network partitions installed (and healed)
 * @param restarts killed nodes started again on their old data
 * @param replacements killed nodes started again with their data directory wiped
 */
public record NemesisCounts(int kills, int pauses, int partitions, int restarts, int replacements) {

  /** One fault per this period, at least. */
  public static final Duration FLOOR_PERIOD = Duration.ofSeconds(15);

  /** No nemesis activity. */
  public static final NemesisCounts NONE = new NemesisCounts(0, 0, 0, 0, 0);

  /** Kills, pauses and partitions. */
  public int faults() {
    return kills + pauses + partitions;
  }

  /**
   * The fewest faults a run of {@code time} with faults enabled must inject: one per {@link
   * #FLOOR_PERIOD}, at least one; 0 when {@code faultsEnabled} is false.
   */
  public static int floor(Duration time, boolean faultsEnabled) {
    if (!faultsEnabled) {
      return 0;
    }
    return (int) Math.max(1, time.toMillis() / FLOOR_PERIOD.toMillis());
  }

  /** {@code faults: kill=… pause=… partition=… restart=… replace=…}. */
  public String line() {
    return String.format(
        Locale.ROOT,
        "faults: kill=%d pause=%d partition=%d restart=%d replace=%d",
        kills,
        pauses,
        partitions,
        restarts,
        replacements);
  }
}
