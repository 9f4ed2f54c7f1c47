package dev.catena.tests.frangipani;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.frangipani.fs.FileSystem.DirEntry;
import dev.catena.frangipani.wal.LogKeys;
import dev.catena.frangipani.zk.FrangipaniMount;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Frangipani's crash outcomes with a real process death: a clerk in a child JVM ({@link
 * ClerkCrashChild}) is killed with SIGKILL at each point of a log write, and the recovery daemon of
 * a clerk in this JVM replays its log once the dead clerk's ZooKeeper session expires. Killed
 * before the log write, the operation is lost; after it, the operation is applied; in the middle of
 * the record, the record fails its checksum and replay stops before it. Either way the operation
 * the dead clerk completed before (logged, never written back) survives, and the log is consumed.
 */
@Timeout(180)
class ClerkCrashIT extends FrangipaniClusterTest {

  @ParameterizedTest(name = "killed {0}")
  @CsvSource({"before-log, kept", "after-log, 'crash,kept'", "torn-log, kept"})
  void recoveryGivesTheOutcomeOfThePointTheClerkDiedAt(String point, String expected)
      throws Exception {
    String bucket = "crash-" + point;
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ClerkCrashChild.class.getName(),
                cluster.connectString(),
                cluster.clusterName(),
                bucket,
                point)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String clerk;
    try {
      List<String> lines = new ArrayList<>();
      BufferedReader r =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture.runAsync(
              () -> {
                try {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                    if (l.startsWith("AT ") || l.startsWith("FINISHED")) {
                      return;
                    }
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .get(90, TimeUnit.SECONDS);
      assertThat(lines).contains("KEPT", "AT " + point);
      clerk = lines.get(0).substring("CLERK ".length());
      assertThat(keys(bucket, LogKeys.prefix(clerk))).as("the dead clerk's log").isNotEmpty();
    } finally {
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    // A clerk of this JVM: its acquire waits until the dead clerk's log is replayed (its session
    // expires after 3 s); then it sees exactly the outcome of the point.
    try (FrangipaniMount m =
        FrangipaniMount.open(
            cluster.connectString(),
            cluster.clusterName(),
            client,
            bucket,
            Duration.ofSeconds(20),
            new SplittableRandom(1))) {
      List<String> names = m.fs().list("/").stream().map(DirEntry::name).toList();
      assertThat(String.join(",", names)).isEqualTo(expected);
      assertThat(keys(bucket, LogKeys.prefix(clerk))).as("the log was consumed").isEmpty();
    }
  }
}
