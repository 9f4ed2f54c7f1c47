package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.catena.tests.faults.Prerequisite;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The real S3 command-line programs against a gateway over a real cluster: the aws CLI, s3cmd and
 * rclone, each with its own config file in the test's directory and path-style addressing, run as
 * processes. Each goes through one scenario in its own bucket — make the bucket, copy a small file
 * and a 100 MiB file (multipart with the program's own part size) up and down, sync a directory
 * tree up (twice: the second run must find nothing to send) and down, list with prefixes, fetch a
 * presigned URL with curl (and see it refused once expired), delete an object, delete the bucket
 * with its contents — and every download is compared with its source byte for byte, every listing
 * with the tree it lists. The AWS SDK checks what each step left in the store.
 *
 * <p>A program missing from {@code PATH} skips its test, or fails it when {@code CI=true}, naming
 * the Debian package to install ({@code .ci/run} installs them).
 */
@Timeout(240)
class S3CommandLineClientsIT {
  static final int BIG = 100 << 20;

  /** The tree synced up and down: relative path → size (sizes around the inline threshold). */
  static final Map<String, Integer> TREE =
      Map.of(
          "a.txt", 20,
          "b.bin", 300 << 10,
          "other/x.txt", 1,
          "sub/c.txt", 12,
          "sub/e f+g.txt", 33,
          "sub/deeper/d.txt", 4096,
          "sub/deeper/empty.txt", 0);

  @TempDir static Path dir;
  static S3Fixture f;
  static S3Client s3;
  static Path small;
  static Path big;
  static Path tree;

  @BeforeAll
  static void start() throws Exception {
    f = new S3Fixture(dir.resolve("gateway"), Duration.ofSeconds(30));
    s3 = f.s3();
    Path data = Files.createDirectories(dir.resolve("data"));
    small = write(data.resolve("small.bin"), 1, 1000);
    big = write(data.resolve("big.bin"), 2, BIG);
    tree = data.resolve("tree");
    long seed = 10;
    for (var e : new TreeMap<>(TREE).entrySet()) {
      Path p = tree.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      write(p, seed++, e.getValue());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
    if (f != null) {
      f.close();
    }
  }

  /** {@code size} seeded random bytes, written 1 MiB at a time. */
  static Path write(Path p, long seed, int size) throws IOException {
    var random = new SplittableRandom(seed);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(p)) {
      for (int left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, Math.min(left, block.length));
      }
    }
    return p;
  }

  /** The programs, each run through {@link #scenario} in its own bucket and directory. */
  enum Program {
    AWS_CLI(AwsCliClient::new),
    S3CMD(S3cmdClient::new),
    RCLONE(RcloneClient::new);

    final Factory factory;

    Program(Factory factory) {
      this.factory = factory;
    }
  }

  /** Writes a program's configuration into {@code dir} for one endpoint and key. */
  @FunctionalInterface
  interface Factory {
    CommandLineS3Client create(Path dir, URI endpoint, String accessKey, String secret)
        throws IOException;
  }

  @ParameterizedTest
  @EnumSource(Program.class)
  void commandLineClient(Program program) throws Exception {
    Path work = dir.resolve(program.name().toLowerCase(Locale.ROOT));
    CommandLineS3Client cli =
        program.factory.create(work, f.endpoint(), S3Fixture.ADMIN_ID, S3Fixture.ADMIN_SECRET);
    require(cli.command(), cli.debianPackage());
    require("curl", "curl");
    scenario(cli, "cli-" + cli.command(), work);
  }

  private static void require(String command, String debianPackage) {
    Prerequisite.require(
        CliProcess.onPath(command).isPresent(),
        () ->
            command
                + " is not on PATH: install the Debian package "
                + debianPackage
                + " (apt-get install "
                + debianPackage
                + "; .ci/run does)");
  }

  private void scenario(CommandLineS3Client cli, String bucket, Path work) throws Exception {
    cli.makeBucket(bucket);
    s3.headBucket(b -> b.bucket(bucket));

    // cp up: one request, then multipart
    cli.upload(small, bucket, "small.bin");
    cli.upload(big, bucket, "big/100MiB.bin");
    assertThat(head(bucket, "small.bin").eTag()).isEqualTo('"' + md5(small) + '"');
    HeadObjectResponse bigHead = head(bucket, "big/100MiB.bin");
    assertThat(bigHead.contentLength()).isEqualTo(BIG);
    assertThat(bigHead.eTag())
        .as("%s sent 100 MiB as a multipart upload", cli.command())
        .matches("\"[0-9a-f]{32}-[0-9]+\"");

    // cp down, byte for byte
    Path down = Files.createDirectories(work.resolve("down"));
    cli.download(bucket, "small.bin", down.resolve("small.bin"));
    cli.download(bucket, "big/100MiB.bin", down.resolve("big.bin"));
    assertThat(Files.mismatch(small, down.resolve("small.bin"))).isEqualTo(-1L);
    assertThat(Files.mismatch(big, down.resolve("big.bin"))).isEqualTo(-1L);

    // sync up; a second sync finds the store already equal
    Map<String, Long> expectedTree = new TreeMap<>();
    TREE.forEach((k, size) -> expectedTree.put("tree/" + k, (long) size));
    assertThat(cli.syncUp(tree, bucket, "tree/")).isEqualTo(expectedTree.keySet());
    assertThat(
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("tree/")).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::size)))
        .isEqualTo(expectedTree);
    assertThat(cli.syncUp(tree, bucket, "tree/")).as("second sync sends nothing").isEmpty();

    // ls with prefixes
    var sub = cli.list(bucket, "tree/sub/");
    assertThat(sub.objects()).isEqualTo(Map.of("tree/sub/c.txt", 12L, "tree/sub/e f+g.txt", 33L));
    assertThat(sub.prefixes()).isEqualTo(Set.of("tree/sub/deeper/"));
    var top = cli.list(bucket, "tree/");
    assertThat(top.objects()).containsOnlyKeys("tree/a.txt", "tree/b.bin");
    assertThat(top.prefixes()).isEqualTo(Set.of("tree/other/", "tree/sub/"));

    // sync down, byte for byte
    Path treeDown = work.resolve("tree-down");
    cli.syncDown(bucket, "tree/", treeDown);
    assertThat(digests(treeDown)).isEqualTo(digests(tree));

    // presigned GET fetched with curl, and refused once expired
    var url = cli.presign(bucket, "small.bin", Duration.ofMinutes(10));
    if (url.isPresent()) {
      Path fetched = work.resolve("presigned.bin");
      assertThat(curl(work, url.get(), fetched)).isEqualTo(200);
      assertThat(Files.mismatch(small, fetched)).isEqualTo(-1L);
      URI shortLived = cli.presign(bucket, "small.bin", Duration.ofSeconds(1)).orElseThrow();
      Path refused = work.resolve("expired.xml");
      await("expired presigned URL refused")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> curl(work, shortLived, refused) == 403);
      assertThat(Files.readString(refused)).contains("<Code>AccessDenied</Code>");
    }

    // rm, rb
    cli.remove(bucket, "small.bin");
    assertThatThrownBy(() -> head(bucket, "small.bin"))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    cli.removeBucket(bucket);
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  private static HeadObjectResponse head(String bucket, String key) {
    return s3.headObject(b -> b.bucket(bucket).key(key));
  }

  /** GETs {@code url} with curl into {@code into}; the HTTP status. */
  private static int curl(Path work, URI url, Path into) throws Exception {
    var out =
        new CliProcess(work.resolve("curl"), Map.of())
            .run(
                Duration.ofSeconds(30),
                List.of(
                    "curl", "-sS", "-o", into.toString(), "-w", "%{http_code}", url.toString()));
    return Integer.parseInt(out.stdout().strip());
  }

  /** Every regular file under {@code root}: relative path → SHA-256. */
  private static Map<String, String> digests(Path root) throws IOException {
    var out = new TreeMap<String, String>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), hex("SHA-256", p));
      }
    }
    return out;
  }

  private static String md5(Path p) throws Exception {
    return hex("MD5", p);
  }

  private static String hex(String algorithm, Path p) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance(algorithm);
      try (var in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          d.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is in every JVM", e);
    }
  }
}
