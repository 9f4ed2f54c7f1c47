package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ObjectManifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads are served off the event loop from the state pinned when the protocol let them through: a
 * write applied between that decision and the read is not seen (otherwise a read could return a
 * value that is not yet committed, and lose it in a crash). Real runtime, store and threads; only
 * the reader pool is held back until the test releases it.
 */
@Timeout(30)
class PinnedReadTest {
  @TempDir Path dir;

  @Test
  void aReadSeesTheStateOfTheInstantItWasLetThroughNotALaterWrite() throws Exception {
    try (var held = new HeldReads(new ThreadLoopScheduler("n1"));
        var store = RuntimeFixtures.store(dir, FsyncPolicy.GROUP);
        var runtime = RuntimeFixtures.node(store, held)) {
      runtime.applyConfiguration(Map.of(), List.of(RuntimeFixtures.SINGLE_NODE_CHAIN));
      assertThat(write(runtime, 1)).isEqualTo("committed");

      var early = new ObjectRead();
      runtime.submitRead(0, 1, "o/b/k", early);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.waiting() == 1);

      assertThat(write(runtime, 2)).isEqualTo("committed"); // committed after the decision
      held.release();
      assertThat(early.version.get(10, TimeUnit.SECONDS)).isEqualTo("v1");

      var later = new ObjectRead();
      runtime.submitRead(0, 1, "o/b/k", later);
      await().atMost(Duration.ofSeconds(10)).until(() -> held.waiting() == 1);
      held.release();
      assertThat(later.version.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
    }
  }

  private static String write(NodeRuntime runtime, long seq) throws Exception {
    var outcome = new RuntimeFixtures.Outcome();
    runtime.submitWrite(0, 1, RuntimeFixtures.put(seq, "k"), outcome);
    return outcome.result.get(10, TimeUnit.SECONDS);
  }

  /** A read of object b/k that records the version it saw ("absent" if none). */
  private static final class ObjectRead implements ReadCall {
    final CompletableFuture<String> version = new CompletableFuture<>();

    @Override
    public void serve(ChainStateReads reads) {
      Optional<ObjectManifest> m = reads.getObject(0, "b", "k");
      version.complete(m.map(ObjectManifest::getVersionId).orElse("absent"));
    }

    @Override
    public void failed(CatenaError e) {
      version.complete(e.getCode().name());
    }
  }

  /** The production scheduler, except that reads wait until the test releases them. */
  private static final class HeldReads implements LoopScheduler, AutoCloseable {
    private final ThreadLoopScheduler real;
    private final ConcurrentLinkedQueue<Runnable> reads = new ConcurrentLinkedQueue<>();

    HeldReads(ThreadLoopScheduler real) {
      this.real = real;
    }

    @Override
    public void close() {
      real.close();
    }

    int waiting() {
      return reads.size();
    }

    void release() {
      for (Runnable r; (r = reads.poll()) != null; ) {
        real.executeRead(r);
      }
    }

    @Override
    public void execute(Runnable task) {
      real.execute(task);
    }

    @Override
    public void schedule(Runnable task, long delayMillis) {
      real.schedule(task, delayMillis);
    }

    @Override
    public void executeBlocking(Runnable task) {
      real.executeBlocking(task);
    }

    @Override
    public void executeRead(Runnable task) {
      reads.add(task);
    }

    @Override
    public long nanoTime() {
      return real.nanoTime();
    }
  }
}
