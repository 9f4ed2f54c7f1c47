package dev.catena.chain.storage;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Child process of {@link CrashRecoveryTest}: writes entry {@code i} to both stores (object store:
 * key {@code k<i>} with progress {@code i}; chunk store: chunk {@code c<i>}) with up to 32 writes
 * in flight, and prints {@code durable <i>} once both futures of {@code i} have completed. Runs
 * until killed, or at most 100 000 entries / 60 s.
 *
 * <p>Arguments: {@code dir policy [first-entry [memtable-bytes]]}. A small memtable makes LevelDB
 * switch logs, flush memtables to tables and compact every few dozen writes.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  static byte[] value(int i) {
    return ("value-" + i).repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] chunk(int i) {
    byte[] b = new byte[(i * 7919) % 150_000];
    new SplittableRandom(i).nextBytes(b);
    return b;
  }

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    FsyncPolicy policy = FsyncPolicy.valueOf(args[1]);
    int first = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int memtable = args.length > 3 ? Integer.parseInt(args[3]) : 32 << 20;
    PrintStream out = System.out;
    long deadline = System.nanoTime() + 60_000_000_000L;
    Semaphore window = new Semaphore(32);
    try (LevelDbObjectStore objects =
            LevelDbObjectStore.open(
                dir.resolve("meta"), policy, ChannelFileLayer.INSTANCE, memtable);
        SegmentChunkStore chunks = SegmentChunkStore.open(dir.resolve("chunks"), policy, 1 << 20)) {
      out.println("ready");
      out.flush();
      for (int i = first; i < first + 100_000 && System.nanoTime() < deadline; i++) {
        window.acquire();
        int n = i;
        CompletableFuture<Void> meta =
            objects.apply(
                new ChainMutation(
                    1,
                    n,
                    0,
                    List.of(
                        new ChainMutation.Put(
                            ("k" + n).getBytes(StandardCharsets.UTF_8), value(n), n)),
                    List.of()));
        CompletableFuture<Void> data = chunks.write("c" + n, ByteBuffer.wrap(chunk(n)));
        CompletableFuture.allOf(meta, data)
            .whenComplete(
                (v, e) -> {
                  window.release();
                  if (e == null) {
                    synchronized (out) {
                      out.println("durable " + n);
                      out.flush();
                    }
                  }
                });
      }
    }
  }
}
