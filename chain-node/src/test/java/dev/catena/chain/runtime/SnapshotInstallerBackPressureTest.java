package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.proto.v1.SnapshotEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install reads its stream no further than {@link SnapshotInstaller#BATCHES_IN_FLIGHT} batches
 * ahead of the disk: with every batch write held back, the joiner stops consuming the stream (and
 * so gRPC flow control stops the sender) instead of buffering the whole snapshot in memory.
 */
class SnapshotInstallerBackPressureTest {
  @TempDir Path dir;

  @Test
  void readsNoFurtherThanTheBatchesInFlight() throws Exception {
    int records = SnapshotInstaller.BATCH_RECORDS * (SnapshotInstaller.BATCHES_IN_FLIGHT + 6);
    var held = new CopyOnWriteArrayList<CompletableFuture<Boolean>>();
    var writer =
        new SnapshotInstaller.Writer() {
          @Override
          public CompletableFuture<Boolean> write(
              SyncSession s, long cut, List<SnapshotEntry> puts, List<byte[]> deletes) {
            var f = new CompletableFuture<Boolean>();
            held.add(f);
            return f;
          }

          @Override
          public CompletableFuture<Boolean> finish(SyncSession s, long cut) {
            return CompletableFuture.completedFuture(true);
          }
        };
    var consumed = new AtomicInteger();
    var stream = new ArrayList<SnapshotEntry>();
    for (int i = 0; i < records; i++) {
      stream.add(
          SnapshotEntry.newBuilder()
              .setCutSeq(i == 0 ? 7 : 0)
              .setKey(ByteString.copyFromUtf8(String.format("o/b/k%08d", i)))
              .setValue(ByteString.copyFromUtf8("v" + i))
              .setVersion(1)
              .build());
    }
    stream.add(SnapshotEntry.newBuilder().setLast(true).build());
    Iterator<SnapshotEntry> source = stream.iterator();
    Iterator<SnapshotEntry> counting =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return source.hasNext();
          }

          @Override
          public SnapshotEntry next() {
            consumed.incrementAndGet();
            return source.next();
          }
        };
    try (var meta = LevelDbObjectStore.open(dir.resolve("m"), FsyncPolicy.GROUP);
        var session = new SyncSession(1, 1)) {
      session.ready.complete(null);
      var installer = new SnapshotInstaller(meta, writer);
      var result =
          CompletableFuture.supplyAsync(() -> installer.install(session, counting, (r, b) -> {}));

      int limit = (SnapshotInstaller.BATCHES_IN_FLIGHT + 1) * SnapshotInstaller.BATCH_RECORDS + 1;
      await().atMost(Duration.ofSeconds(10)).until(() -> consumed.get() >= limit - 1);
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> consumed.get() <= limit);
      assertThat(result).isNotDone();

      // Releasing the disk lets the install run to the end.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                held.forEach(f -> f.complete(true));
                return result.isDone();
              });
      assertThat(result.join()).isTrue();
      assertThat(consumed.get()).isEqualTo(records + 1);
    }
  }
}
