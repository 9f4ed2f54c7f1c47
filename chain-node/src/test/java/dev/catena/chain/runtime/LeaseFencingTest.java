package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §4 invariant 7 and §4a "Zombies": a node whose lease has lapsed serves nothing, even a
 * read it admitted while the lease was still valid.
 */
class LeaseFencingTest {
  @TempDir Path dir;

  @Test
  void lapsedLeaseRefusesAdmissionAndQueuedReads() throws Exception {
    var lease = new AtomicBoolean(true);
    var fence = new NodeFence("n1", lease::get);
    try (var store =
            new DurableReplicaStore(
                LevelDbObjectStore.open(dir.resolve("m"), FsyncPolicy.NONE),
                SegmentChunkStore.open(dir.resolve("c"), FsyncPolicy.NONE, 1 << 20));
        var runtime = new NodeRuntime("n1", store, RuntimeFixtures.NO_PEERS, fence, 16, 100)) {
      runtime.applyConfiguration(Map.of(), List.of(RuntimeFixtures.SINGLE_NODE_CHAIN));
      fence.sessionConfirmed();
      var ok = new RuntimeFixtures.Outcome();
      runtime.submitRead(0, 1, "o/b/k", ok);
      assertThat(ok.result.get()).isEqualTo("served");

      // Admitted while valid, served after the lease lapsed (the loop is held busy meanwhile, by
      // a write's reply).
      var gate = new CompletableFuture<Void>();
      var blocker = new BlockingWrite(new CompletableFuture<>(), gate);
      runtime.submitWrite(0, 1, RuntimeFixtures.put(1, "other"), blocker);
      blocker.entered.get();
      var queued = new RuntimeFixtures.Outcome();
      runtime.submitRead(0, 1, "o/b/k", queued);
      lease.set(false);
      gate.complete(null);
      await().atMost(Duration.ofSeconds(10)).until(queued.result::isDone);
      assertThat(queued.result.get()).isEqualTo(ErrorCode.FENCED.name());

      var refused = new RuntimeFixtures.Outcome();
      runtime.submitRead(0, 1, "o/b/k", refused);
      assertThat(refused.result.get()).isEqualTo(ErrorCode.FENCED.name());
    }
  }

  /** A write whose reply blocks the event loop until {@code gate} completes. */
  private record BlockingWrite(CompletableFuture<Void> entered, CompletableFuture<Void> gate)
      implements WriteCall {
    @Override
    public void committed(WriteResult result) {
      entered.complete(null);
      gate.join();
    }

    @Override
    public void failed(CatenaError e) {
      entered.completeExceptionally(new AssertionError("the write failed: " + e));
    }
  }
}
