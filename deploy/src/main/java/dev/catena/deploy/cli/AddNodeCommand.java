package dev.catena.deploy.cli;

import dev.catena.config.StoreUnavailableException;
import dev.catena.deploy.zk.ClusterAdmin;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catena cluster add-node}: runs a new storage node in the foreground and shows its joins
 * (SYNCING → ACTIVE) as a progress bar, from the progress the node publishes in ZooKeeper, until it
 * is ACTIVE in every chain it was added to; then keeps serving. The coordinator decides which
 * chains it joins (short chains first, then role balance). If that takes longer than {@code
 * --join-timeout-s} the command stops the node and fails with {@link JoinTimeoutException}.
 *
 * <p>On a terminal the bar is redrawn in place; otherwise a line is printed whenever it changes.
 */
@Command(
    name = "add-node",
    description =
        "Start a node here and follow its joins (snapshot + catch-up) until it is active.")
final class AddNodeCommand extends NodeCommand {
  static final int BAR_WIDTH = 30;
  static final Duration POLL = Duration.ofMillis(500);

  @Option(
      names = {"--join-timeout-s", "--timeout-s"},
      defaultValue = "600",
      description = "fail (and stop the node) if it is not active in every chain after this")
  long joinTimeoutS;

  @Override
  void afterStart() throws InterruptedException {
    try (var admin = ClusterAdmin.connect(where.zk, where.cluster)) {
      follow(
          id,
          () -> {
            try {
              return admin.status(where.cluster);
            } catch (StoreUnavailableException e) {
              return null; // ZooKeeper unreachable for now: keep the last picture, poll again
            }
          },
          System::nanoTime,
          Duration.ofSeconds(joinTimeoutS),
          System.out,
          System.console() != null,
          () -> TimeUnit.NANOSECONDS.sleep(POLL.toNanos()));
    }
    System.out.println("node " + id + " is active in every chain it joined");
  }

  /** Waits between polls. */
  interface Pause {
    void pause() throws InterruptedException;
  }

  /**
   * Polls {@code status} (null: no read this time) until {@code nodeId} is done joining, rendering
   * after each poll; throws {@link JoinTimeoutException} once {@code timeout} has passed on {@code
   * nanos}.
   *
   * @param inPlace redraw one line with carriage returns (a terminal) instead of printing lines
   */
  static JoinTracker.View follow(
      String nodeId,
      Supplier<ClusterAdmin.Status> status,
      LongSupplier nanos,
      Duration timeout,
      PrintStream out,
      boolean inPlace,
      Pause pause)
      throws InterruptedException {
    var tracker = new JoinTracker(nodeId);
    long deadline = nanos.getAsLong() + timeout.toNanos();
    String shown = "";
    while (true) {
      ClusterAdmin.Status read = status.get();
      if (read != null) {
        tracker.update(read);
      }
      JoinTracker.View v = tracker.view();
      String line = SyncProgressFormat.joinLine(v, BAR_WIDTH);
      if (inPlace) {
        out.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
        out.flush();
      } else if (!line.equals(shown)) {
        out.println(line);
      }
      shown = line;
      if (v.done()) {
        if (inPlace) {
          out.println();
        }
        return v;
      }
      if (nanos.getAsLong() - deadline >= 0) {
        if (inPlace) {
          out.println();
        }
        throw new JoinTimeoutException(
            "node "
                + nodeId
                + " is not active in every chain it joined after "
                + timeout.toSeconds()
                + " s ("
                + line.substring(line.indexOf(']') + 1).strip()
                + "); stopping it");
      }
      pause.pause();
    }
  }
}
