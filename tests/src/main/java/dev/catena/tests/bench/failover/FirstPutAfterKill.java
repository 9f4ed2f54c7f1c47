package dev.catena.tests.bench.failover;

import java.util.Collection;
import java.util.Optional;

/**
 * What became of the first put issued at or after a kill: the write unavailability a client sees is
 * the time from the kill to that put's acknowledgement. A later put acknowledged earlier (it found
 * the new head after the old head's put was stuck) does not count, nor does an earlier put that
 * happened to be answered after the kill. Pure.
 *
 * @param outcome what happened to that put
 * @param issuedNanos when it was issued ({@link System#nanoTime()}); -1 when none was issued
 * @param ackMillis kill → its acknowledgement in milliseconds; -1 unless {@link Outcome#ACKED}
 */
record FirstPutAfterKill(Outcome outcome, long issuedNanos, long ackMillis) {

  /** The fate of the first put issued at or after the kill. */
  enum Outcome {
    /** Acknowledged: {@link #ackMillis()} is the unavailability. */
    ACKED,
    /** Answered with an error (the client gave up retrying): a failed run. */
    FAILED,
    /** Still unanswered when the run stopped waiting: a failed run. */
    NO_ANSWER,
    /** No put was issued at or after the kill: a failed run. */
    NOT_ISSUED
  }

  /** True unless the put was acknowledged: such a run is counted as a failure, never dropped. */
  boolean failed() {
    return outcome != Outcome.ACKED;
  }

  /**
   * Finds the first put issued at or after {@code killNanos} among {@code issued} (every put issued
   * so far, answered or not) and its answer among {@code answered}.
   */
  static FirstPutAfterKill of(
      Collection<OpenLoopWriter.Issue> issued,
      Collection<OpenLoopWriter.Sample> answered,
      long killNanos) {
    Optional<OpenLoopWriter.Issue> first =
        issued.stream()
            .filter(i -> i.issuedNanos() - killNanos >= 0)
            .min(
                java.util.Comparator.comparingLong((OpenLoopWriter.Issue i) -> i.issuedNanos())
                    .thenComparingLong(OpenLoopWriter.Issue::id));
    if (first.isEmpty()) {
      return new FirstPutAfterKill(Outcome.NOT_ISSUED, -1, -1);
    }
    long id = first.get().id();
    long issuedAt = first.get().issuedNanos();
    Optional<OpenLoopWriter.Sample> answer =
        answered.stream().filter(s -> s.id() == id).findFirst();
    if (answer.isEmpty()) {
      return new FirstPutAfterKill(Outcome.NO_ANSWER, issuedAt, -1);
    }
    if (!answer.get().ok()) {
      return new FirstPutAfterKill(Outcome.FAILED, issuedAt, -1);
    }
    long ms =
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(answer.get().doneNanos() - killNanos);
    return new FirstPutAfterKill(Outcome.ACKED, issuedAt, ms);
  }
}
