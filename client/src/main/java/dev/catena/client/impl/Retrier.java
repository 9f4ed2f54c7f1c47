package dev.catena.client.impl;

import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.client.routing.ClusterSnapshot;
import dev.catena.proto.v1.ErrorCode;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Runs one logical request as a sequence of attempts under a {@link RetryPolicy}. Every attempt is
 * routed with the newest {@link ClusterSnapshot}; a write's attempts all carry the same request id
 * (the caller's closure keeps it), so the cluster applies it once (DESIGN §4 invariant 8).
 *
 * <p>After a retryable failure the view is asked to refresh and the next attempt starts when either
 * a newer snapshot appears (a reconfiguration: no reason to wait longer) or the jittered back-off
 * has passed, whichever is first; {@code OVERLOADED} always waits for the back-off (a refusal is
 * the cluster asking the client to slow down; the back-off doubles, so a client's retry load stays
 * bounded while it keeps trying within its deadline). When the policy gives up, the request fails
 * with {@link CatenaUnavailableException} naming the last reason. Time and randomness are injected.
 */
public final class Retrier {
  private final ClusterDirectory directory;
  private final RetryPolicy policy;
  private final LongSupplier nanoClock;
  private final RandomGenerator random;
  private final ScheduledExecutorService scheduler;

  /**
   * @param random source of jitter; used under this object's lock, so it need not be thread-safe
   */
  public Retrier(
      ClusterDirectory directory,
      RetryPolicy policy,
      LongSupplier nanoClock,
      RandomGenerator random,
      ScheduledExecutorService scheduler) {
    this.directory = directory;
    this.policy = policy;
    this.nanoClock = nanoClock;
    this.random = random;
    this.scheduler = scheduler;
  }

  public RetryPolicy policy() {
    return policy;
  }

  /**
   * What one attempt gets: the view to route with and its own deadline.
   *
   * @param view the snapshot to route with
   * @param timeoutNanos the attempt's deadline
   * @param number 1 for the first attempt
   */
  public record Attempt(ClusterSnapshot view, long timeoutNanos, int number) {}

  /** Runs {@code op} until it succeeds, fails finally, or the policy gives up. */
  public <T> CompletableFuture<T> run(String what, Function<Attempt, CompletableFuture<T>> op) {
    var r = new Run<>(what, op);
    r.attempt();
    return r.result;
  }

  private static final long NODE_BEHIND_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /**
   * True if a refusal (wrong epoch, not head, not tail) came from a node whose configuration is
   * older than the view the request was routed by.
   */
  static boolean nodeBehind(ClusterSnapshot view, ErrorMapper.Retry retry) {
    boolean epochRefusal =
        retry.code() == ErrorCode.WRONG_EPOCH
            || retry.code() == ErrorCode.NOT_HEAD
            || retry.code() == ErrorCode.NOT_TAIL;
    if (!epochRefusal || retry.chainId() < 0) {
      return false;
    }
    return view.route(retry.chainId()).map(r -> r.epoch() > retry.currentEpoch()).orElse(false);
  }

  private synchronized OptionalLong nextDelay(int attempts, long elapsed) {
    return policy.nextDelayNanos(attempts, elapsed, random);
  }

  private final class Run<T> {
    final String what;
    final Function<Attempt, CompletableFuture<T>> op;
    final CompletableFuture<T> result = new CompletableFuture<>();
    final long start = nanoClock.getAsLong();
    int attempts;

    Run(String what, Function<Attempt, CompletableFuture<T>> op) {
      this.what = what;
      this.op = op;
    }

    void attempt() {
      attempts++;
      ClusterSnapshot view = directory.snapshot();
      long elapsed = nanoClock.getAsLong() - start;
      CompletableFuture<T> f;
      try {
        f = op.apply(new Attempt(view, policy.attemptTimeoutNanos(elapsed), attempts));
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete(
          (v, err) -> {
            if (err == null) {
              result.complete(v);
            } else {
              failed(view, err);
            }
          });
    }

    void failed(ClusterSnapshot view, Throwable err) {
      ErrorMapper.Verdict verdict = ErrorMapper.classify(err);
      if (verdict instanceof ErrorMapper.Final f) {
        result.completeExceptionally(f.exception());
        return;
      }
      ErrorMapper.Retry retry = (ErrorMapper.Retry) verdict;
      long elapsed = nanoClock.getAsLong() - start;
      OptionalLong delay = nextDelay(attempts, elapsed);
      if (delay.isEmpty()) {
        result.completeExceptionally(
            new CatenaUnavailableException(
                what
                    + ": gave up after "
                    + attempts
                    + " attempts in "
                    + TimeUnit.NANOSECONDS.toMillis(elapsed)
                    + " ms; last error: "
                    + retry.reason(),
                ErrorMapper.unwrap(err)));
        return;
      }
      if (nodeBehind(view, retry)) {
        // The node has not yet taken up the configuration the client routed by; it will within
        // moments, and no further ZooKeeper change will announce it: retry soon.
        scheduler.schedule(
            this::attempt,
            Math.min(delay.getAsLong(), NODE_BEHIND_RETRY_NANOS),
            TimeUnit.NANOSECONDS);
        return;
      }
      directory.refresh();
      AtomicBoolean fired = new AtomicBoolean();
      Runnable next =
          () -> {
            if (fired.compareAndSet(false, true)) {
              attempt();
            }
          };
      if (retry.code() != ErrorCode.OVERLOADED) {
        CompletableFuture<ClusterSnapshot> newer = directory.awaitNewer(view.version());
        newer.thenRun(next);
        scheduler.schedule(
            () -> {
              newer.cancel(false);
              next.run();
            },
            delay.getAsLong(),
            TimeUnit.NANOSECONDS);
      } else {
        scheduler.schedule(next, delay.getAsLong(), TimeUnit.NANOSECONDS);
      }
    }
  }
}
