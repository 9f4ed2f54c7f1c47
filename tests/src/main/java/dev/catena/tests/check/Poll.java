package dev.catena.tests.check;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for the fault runner (a program, not a test): at most {@code timeout}. */
final class Poll {
  private Poll() {}

  /**
   * Polls {@code condition} every {@code interval} until it holds.
   *
   * @throws ClusterNotReadyException naming {@code what} if it still fails after {@code timeout}
   */
  static void until(
      BooleanSupplier condition, Duration timeout, Duration interval, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new ClusterNotReadyException("not " + what.get() + " after " + timeout);
      }
      Thread.sleep(interval.toMillis());
    }
  }
}
