package dev.catena.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kill -9 durability: a real child JVM ({@link CrashWriterMain}) writes to both stores and reports
 * each write whose future completed; after at least 200 such reports the parent kills it with
 * SIGKILL ({@link Process#destroyForcibly()}), reopens both stores and checks that every reported
 * write is present and intact (DESIGN §4 invariant 3: never ack before persist). A kill keeps the
 * page cache, so this would pass even if fsync did nothing: power loss is {@link
 * SegmentCrashConsistencyTest} and {@link LevelDbDirectorySyncTest}.
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
    List<Integer> durable = runUntilKilled(policy, 1, 32 << 20);
    verify(policy, durable, 32 << 20);
  }

  /**
   * Kill -9 around LevelDB log switches and memtable flushes: a 4 KiB memtable makes iq80 switch to
   * a new log, write a level-0 table, append to the MANIFEST and delete the old log every few dozen
   * writes (and compact level 0 every few flushes), so each kill lands next to one. Three
   * kill/reopen rounds on the same directory, each checking every write reported so far.
   */
  @ParameterizedTest
  @EnumSource(
      value = FsyncPolicy.class,
      names = {"ALWAYS", "GROUP"})
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyWriteReportedDurableSurvivesSigkillAroundLogSwitches(FsyncPolicy policy)
      throws Exception {
    int memtable = 4 << 10;
    List<Integer> durable = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      durable.addAll(runUntilKilled(policy, 1 + round * 100_000, memtable));
      verify(policy, durable, memtable);
    }
    long logNumber;
    try (Stream<Path> s = Files.list(dir.resolve("meta"))) {
      logNumber =
          s.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".log"))
              .mapToLong(n -> Long.parseLong(n.substring(0, n.length() - 4)))
              .max()
              .orElseThrow();
    }
    // file numbers are shared by logs, tables and MANIFESTs: many were made
    assertThat(logNumber).as("LevelDB file number of the newest log").isGreaterThan(20);
  }

  /** Starts the writer, kills it with SIGKILL after MIN_DURABLE reports; the reported entries. */
  private List<Integer> runUntilKilled(FsyncPolicy policy, int first, int memtable)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriterMain.class.getName(),
            dir.toString(),
            policy.name(),
            Integer.toString(first),
            Integer.toString(memtable));
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
    return durable;
  }

  /** Reopens both stores and checks every reported entry. */
  private void verify(FsyncPolicy policy, List<Integer> durable, int memtable) {
    int max = durable.stream().mapToInt(Integer::intValue).max().orElseThrow();
    try (LevelDbObjectStore objects =
            LevelDbObjectStore.open(
                dir.resolve("meta"), policy, ChannelFileLayer.INSTANCE, memtable);
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
