package dev.catena.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.deploy.OneNodeCluster;
import dev.catena.deploy.cli.CatenaCliTest.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real one-node cluster: not-found answers and HTTP-style ranges. */
@Timeout(120)
class CliClusterTest {
  private static final String BUCKET = "cli";
  private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path dir;
  private static OneNodeCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = OneNodeCluster.start(dir, BUCKET);
    try (var c = cluster.client()) {
      c.putObject(BUCKET, "digits", DIGITS);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Run catena(String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of(args));
    all.addAll(
        java.util.List.of("--zk", cluster.connectString(), "--cluster", OneNodeCluster.CLUSTER));
    return CatenaCliTest.run(all.toArray(String[]::new));
  }

  @Test
  void missingKeyIsNotFoundInOneStyle() {
    Run r = catena("get", BUCKET + "/missing", dir.resolve("never").toString());
    assertThat(r.err().strip()).isEqualTo("catena: no such key " + BUCKET + "/missing");
    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(dir.resolve("never")).doesNotExist();
    Run head = catena("head", BUCKET + "/missing");
    assertThat(head.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(head.err().strip()).isEqualTo("catena: no such key " + BUCKET + "/missing");
  }

  @Test
  void missingBucketIsNotFound() {
    Run r = catena("get", "nobucket/k");
    assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err().strip()).isEqualTo("catena: no such bucket nobucket");
  }

  @Test
  void rangesFetchTheBytesHttpWouldServe() throws Exception {
    assertThat(fetch("2-4")).isEqualTo("234");
    assertThat(fetch("7-")).isEqualTo("789");
    assertThat(fetch("-3")).isEqualTo("789");
    assertThat(fetch("-30")).isEqualTo("0123456789");
    assertThat(fetch("8-100")).isEqualTo("89");
  }

  @Test
  void rangeStartingBeyondTheEndIsInvalidInput() {
    Run r = catena("get", BUCKET + "/digits", dir.resolve("x").toString(), "--range", "50-60");
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void statusAnswersWithinTheTimeout() {
    Run r = catena("cluster", "status", "--json", "--timeout", "2s");
    assertThat(r.exit()).isZero();
  }

  private static String fetch(String range) throws Exception {
    Path out = dir.resolve("range-" + range);
    Run r = catena("get", BUCKET + "/digits", out.toString(), "--range", range);
    assertThat(r.exit()).as(r.err()).isZero();
    return Files.readString(out, StandardCharsets.US_ASCII);
  }
}
