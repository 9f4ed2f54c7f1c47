package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.storage.FsyncPolicy;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose event loop falls behind refuses new calls at the door with {@code OVERLOADED} (the
 * client backs off) instead of queueing them until their deadlines pass, and admits again once the
 * loop keeps up. Driven on a manual scheduler: virtual time moves while the loop "is busy".
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopDelayAdmissionTest {
  @TempDir Path dir;

  @Test
  void callsWaitingTooLongForTheLoopMakeTheNodeRefuseNewOnesUntilItKeepsUp() throws Exception {
    var loop = new ManualLoopScheduler();
    try (var store = RuntimeFixtures.store(dir, FsyncPolicy.NONE);
        var runtime = RuntimeFixtures.node(store, loop)) {
      long interval = LoopDelayGate.DEFAULT_INTERVAL_NANOS / 1_000_000;
      // Two calls wait longer than an interval and half of one: it closes with a standing queue.
      var first = read(runtime);
      loop.advanceMillis(interval / 2);
      var second = read(runtime);
      loop.advanceMillis(interval / 2 + 10);
      loop.runDue();
      // (the loop has no chain 0: dispatched calls end UNKNOWN_CHAIN; the refusal comes first)
      assertThat(first.result).isCompletedWithValue("UNKNOWN_CHAIN");
      assertThat(second.result).isCompletedWithValue("UNKNOWN_CHAIN");
      var refused = read(runtime);
      assertThat(refused.result).isCompletedWithValue("OVERLOADED");

      // Nothing is admitted, so nothing is observed; an interval later the door opens again, and
      // a call that finds the loop free clears the verdict.
      loop.advanceMillis(interval + 1);
      var admitted = read(runtime);
      assertThat(admitted.result).isNotCompleted();
      loop.runDue();
      assertThat(admitted.result).isCompletedWithValue("UNKNOWN_CHAIN");
      var after = read(runtime);
      assertThat(after.result).isNotCompleted();
      loop.runDue();
      assertThat(after.result).isCompletedWithValue("UNKNOWN_CHAIN");
    }
  }

  private static RuntimeFixtures.Outcome read(NodeRuntime runtime) {
    var call = new RuntimeFixtures.Outcome();
    runtime.submitRead(0, 1, "o/b/k", call);
    return call;
  }
}
