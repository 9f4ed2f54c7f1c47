package dev.catena.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kill -9 durability: a real child JVM ({@link CrashWriterMain}) writes to both stores and reports
 * each write whose future completed; after at least 200 such reports the parent kills it with
 * SIGKILL ({@link Process#destroyForcibly()}), reopens both stores and checks that every reported
 * write is present and intact (DESIGN §4 invariant 3: never ack before persist).
 */
class CrashRecoveryTest {
  private static final int MIN_DURABLE = 200;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = FsyncPolicy.class,
      names = {"ALWAYS", "GROUP"})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyWriteReportedDurableSurvivesSigkill(FsyncPolicy policy) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriterMain.class.getName(),
            dir.toString(),
            policy.name());
    pb.redirectError(dir.resolve("child-stderr.txt").toFile());
    Process child = pb.start();
    List<Integer> durable = new ArrayList<>();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread pump = new Thread(() -> pump(child, lines), "child-stdout");
    pump.setDaemon(true);
    pump.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (durable.size() < MIN_DURABLE && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && line.startsWith("durable ")) {
          durable.add(Integer.parseInt(line.substring(8)));
        }
        if (line == null && !child.isAlive()) {
          break;
        }
      }
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    pump.join(10_000);
    for (String line = lines.poll(); line != null; line = lines.poll()) {
      if (line.startsWith("durable ")) {
        durable.add(Integer.parseInt(line.substring(8)));
      }
    }
    assertThat(durable)
        .as("child stderr: %s", dir.resolve("child-stderr.txt"))
        .hasSizeGreaterThanOrEqualTo(MIN_DURABLE);

    int max = durable.stream().mapToInt(Integer::intValue).max().orElseThrow();
    try (LevelDbObjectStore objects = LevelDbObjectStore.open(dir.resolve("meta"), policy);
        SegmentChunkStore chunks = SegmentChunkStore.open(dir.resolve("chunks"), policy, 1 << 20)) {
      assertThat(objects.progress(1).appliedSeq()).isGreaterThanOrEqualTo(max);
      for (int i : durable) {
        assertThat(objects.get(1, ("k" + i).getBytes(StandardCharsets.UTF_8)))
            .as("object k%d", i)
            .contains(new VersionedValue(CrashWriterMain.value(i), i, false));
        byte[] want = CrashWriterMain.chunk(i);
        assertThat(SegmentChunkStoreTest.bytes(chunks.read("c" + i, 0, want.length)))
            .as("chunk c%d", i)
            .isEqualTo(want);
      }
      // the store keeps working after recovery
      chunks.write("after-crash", ByteBuffer.wrap(new byte[] {1, 2, 3})).join();
    }
  }

  private static void pump(Process child, BlockingQueue<String> lines) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("pump-error " + e);
    }
  }
}
