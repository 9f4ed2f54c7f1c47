package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.MemberState;
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
      var chain =
          ChainConfig.newBuilder()
              .setChainId(0)
              .setEpoch(1)
              .addMembers(ChainMember.newBuilder().setNodeId("n1").setState(MemberState.ACTIVE))
              .build();
      runtime.applyConfiguration(Map.of(), List.of(chain));
      fence.sessionConfirmed();
      var ok = new RuntimeFixtures.Outcome();
      runtime.submitRead(0, 1, "o/b/k", ok);
      assertThat(ok.result.get()).isEqualTo("served");

      // Admitted while valid, served after the lease lapsed (the loop is held busy meanwhile).
      var gate = new CompletableFuture<Void>();
      runtime.status(); // the loop is running
      var queued = new RuntimeFixtures.Outcome();
      var blocker = new RuntimeFixtures.Outcome();
      runtime.submitRead(0, 1, "o/b/k", new BlockingCall(gate, blocker));
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

  /** A read whose serving blocks the event loop until {@code gate} completes. */
  private record BlockingCall(CompletableFuture<Void> gate, RuntimeFixtures.Outcome outcome)
      implements ReadCall {
    @Override
    public void serve() {
      gate.join();
      outcome.serve();
    }

    @Override
    public void failed(CatenaError e) {
      outcome.failed(e);
    }
  }
}
