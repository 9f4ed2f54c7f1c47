package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.client.Bucket;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.client.routing.ClusterSnapshot;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.ShardMap;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries with an injected clock and random: bounded attempts, deadline, view refreshes. */
class RetrierTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final FakeDirectory directory = new FakeDirectory();
  private final AtomicLong clock = new AtomicLong();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private Retrier retrier(int attempts, Duration deadline) {
    var p =
        new RetryPolicy(attempts, deadline, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1));
    return new Retrier(directory, p, clock::get, new SplittableRandom(1), scheduler);
  }

  private static Throwable typed(ErrorCode code) {
    Metadata t = new Metadata();
    t.put(ErrorMapper.ERROR_KEY, CatenaError.newBuilder().setCode(code).build());
    return Status.FAILED_PRECONDITION.asRuntimeException(t);
  }

  @Test
  void retriesRetryableErrorsThenSucceeds() {
    var calls = new AtomicInteger();
    var result =
        retrier(10, Duration.ofSeconds(30))
            .run(
                "op",
                a ->
                    calls.incrementAndGet() < 4
                        ? CompletableFuture.failedFuture(typed(ErrorCode.WRONG_EPOCH))
                        : CompletableFuture.completedFuture("ok"))
            .join();
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(4);
    assertThat(directory.refreshes).hasValue(3);
  }

  @Test
  void finalErrorsAreNotRetried() {
    var calls = new AtomicInteger();
    var f =
        retrier(10, Duration.ofSeconds(30))
            .run(
                "op",
                a -> {
                  calls.incrementAndGet();
                  return CompletableFuture.failedFuture(typed(ErrorCode.NO_SUCH_KEY));
                });
    assertThatThrownBy(f::join).hasCauseInstanceOf(NoSuchKeyException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    var calls = new AtomicInteger();
    var f =
        retrier(5, Duration.ofSeconds(30))
            .run(
                "op",
                a -> {
                  calls.incrementAndGet();
                  return CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException());
                });
    assertThatThrownBy(f::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(CatenaUnavailableException.class)
        .hasMessageContaining("5 attempts");
    assertThat(calls).hasValue(5);
  }

  @Test
  void givesUpAtTheDeadlineOfTheInjectedClock() {
    var calls = new AtomicInteger();
    var f =
        retrier(1000, Duration.ofSeconds(30))
            .run(
                "op",
                a -> {
                  calls.incrementAndGet();
                  clock.addAndGet(Duration.ofSeconds(10).toNanos()); // each attempt "takes" 10 s
                  assertThat(a.timeoutNanos()).isPositive();
                  return CompletableFuture.failedFuture(typed(ErrorCode.FENCED));
                });
    assertThatThrownBy(f::join).hasCauseInstanceOf(CatenaUnavailableException.class);
    assertThat(calls).hasValue(3);
  }

  @Test
  void overloadedRequestsAreRetriedWithinTheirDeadline() {
    var calls = new AtomicInteger();
    var result =
        retrier(1000, Duration.ofSeconds(30))
            .run(
                "op",
                a ->
                    calls.incrementAndGet() <= 60
                        ? CompletableFuture.failedFuture(typed(ErrorCode.OVERLOADED))
                        : CompletableFuture.completedFuture("ok"))
            .join();
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(61);
  }

  /** A directory whose snapshot never changes; counts refresh requests. */
  private static final class FakeDirectory implements ClusterDirectory {
    final AtomicInteger refreshes = new AtomicInteger();
    final ClusterSnapshot snapshot =
        ClusterSnapshot.of(
            1,
            ShardMap.getDefaultInstance(),
            List.of(),
            Map.of(),
            ClusterSettings.getDefaultInstance());

    @Override
    public ClusterSnapshot snapshot() {
      return snapshot;
    }

    @Override
    public CompletableFuture<ClusterSnapshot> awaitNewer(long afterVersion) {
      return new CompletableFuture<>();
    }

    @Override
    public void refresh() {
      refreshes.incrementAndGet();
    }

    @Override
    public boolean bucketExists(String bucket) {
      return true;
    }

    @Override
    public Bucket createBucket(String bucket, long createdAtMillis) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Bucket> listBuckets() {
      return List.of();
    }

    @Override
    public void deleteBucket(String bucket) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  // Failover latency: a node that has not yet taken up the epoch the client routed by is retried
  // quickly instead of waiting for a ZooKeeper change that will not come.
  @Test
  void refusalFromANodeBehindTheViewIsRecognised() {
    var chain =
        dev.catena.proto.v1.ChainConfig.newBuilder()
            .setChainId(2)
            .setEpoch(5)
            .addMembers(
                dev.catena.proto.v1.ChainMember.newBuilder()
                    .setNodeId("n1")
                    .setState(dev.catena.proto.v1.MemberState.ACTIVE))
            .build();
    var view =
        dev.catena.client.routing.ClusterSnapshot.of(
            1,
            dev.catena.proto.v1.ShardMap.getDefaultInstance(),
            java.util.List.of(chain),
            java.util.Map.of(),
            dev.catena.proto.v1.ClusterSettings.getDefaultInstance());
    assertThat(Retrier.nodeBehind(view, new ErrorMapper.Retry("r", ErrorCode.WRONG_EPOCH, 4, 2)))
        .isTrue();
    assertThat(Retrier.nodeBehind(view, new ErrorMapper.Retry("r", ErrorCode.NOT_HEAD, 4, 2)))
        .isTrue();
    assertThat(Retrier.nodeBehind(view, new ErrorMapper.Retry("r", ErrorCode.WRONG_EPOCH, 6, 2)))
        .as("node ahead of the view: wait for the view instead")
        .isFalse();
    assertThat(Retrier.nodeBehind(view, new ErrorMapper.Retry("r", ErrorCode.FENCED, 4, 2)))
        .isFalse();
    assertThat(Retrier.nodeBehind(view, new ErrorMapper.Retry("r", ErrorCode.WRONG_EPOCH, 4, 9)))
        .as("unknown chain")
        .isFalse();
  }
}
