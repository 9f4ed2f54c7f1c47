package dev.catena.client.impl;

/**
 * Limits retries of {@code OVERLOADED} refusals across all requests of one client, as gRPC's retry
 * throttling does (gRFC A6): a token count starts at its maximum, each {@code OVERLOADED} answer
 * takes one token, each success gives back a fraction of one, and an overloaded request is retried
 * only while more than half the tokens are left. So a client facing an overloaded cluster stops
 * multiplying the load with retries — most of its refused requests fail at once, as the cluster
 * asked — and starts retrying again once requests succeed.
 *
 * <p>Thread-safe.
 */
final class RetryThrottle {
  private static final long MILLI = 1000; // tokens are counted in thousandths, exactly

  private final long maxTokens;
  private final long successCredit;
  private long tokens;

  /**
   * @param maxTokens tokens when nothing was refused; retries stop at half of them
   * @param successCreditMillis thousandths of a token a success gives back
   */
  RetryThrottle(int maxTokens, int successCreditMillis) {
    if (maxTokens <= 0 || successCreditMillis <= 0) {
      throw new IllegalArgumentException("tokens and credit must be positive");
    }
    this.maxTokens = maxTokens * MILLI;
    this.successCredit = successCreditMillis;
    this.tokens = this.maxTokens;
  }

  /** gRPC's defaults for a service config: 100 tokens, a tenth of one per success. */
  static RetryThrottle defaults() {
    return new RetryThrottle(100, 100);
  }

  /** A request succeeded. */
  synchronized void succeeded() {
    tokens = Math.min(maxTokens, tokens + successCredit);
  }

  /** A request was refused as {@code OVERLOADED}; true if it may be retried. */
  synchronized boolean overloadedMayRetry() {
    tokens = Math.max(0, tokens - MILLI);
    return tokens > maxTokens / 2;
  }
}
