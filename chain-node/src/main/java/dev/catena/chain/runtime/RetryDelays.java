package dev.catena.chain.runtime;

/** Capped exponential back-off of the runtime's reconnects and snapshot retries (pure). */
final class RetryDelays {
  private RetryDelays() {}

  /** 20 ms after the first failure, doubling to at most 1 s; {@code failures} counts from 1. */
  static long millis(int failures) {
    return Math.min(1000, 20L << Math.min(Math.max(failures, 1) - 1, 6));
  }
}
