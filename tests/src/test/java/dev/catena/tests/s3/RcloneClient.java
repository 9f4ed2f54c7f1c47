package dev.catena.tests.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * rclone (Debian package {@code rclone}) with its own config file ({@code --config}): an S3 remote
 * of provider {@code Other}, path-style addressing. Multipart from 16 MiB in 8 MiB parts (its
 * default cut-off, 200 MiB, would never use multipart for the test's 100 MiB); everything else is
 * its default: 4 concurrent part uploads, modification times kept in {@code x-amz-meta-mtime},
 * {@code sync} compares size and modification time.
 */
final class RcloneClient implements CommandLineS3Client {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final String REMOTE = "catena:";
  private final CliProcess cli;
  private final Path config;

  RcloneClient(Path dir, URI endpoint, String accessKey, String secret) throws IOException {
    Files.createDirectories(dir);
    config = dir.resolve("rclone.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "[catena]",
            "type = s3",
            "provider = Other",
            "access_key_id = " + accessKey,
            "secret_access_key = " + secret,
            "endpoint = " + endpoint,
            "region = us-east-1",
            "force_path_style = true",
            "upload_cutoff = 16Mi",
            "chunk_size = 8Mi",
            ""));
    // rclone's S3 library refuses to start when AWS_CA_BUNDLE is set ("unable to load custom CA
    // bundle, HTTPClient's transport unsupported type"); the endpoint is plain HTTP anyway.
    cli = new CliProcess(dir, Map.of(), Set.of("AWS_CA_BUNDLE"));
  }

  @Override
  public String command() {
    return "rclone";
  }

  @Override
  public String debianPackage() {
    return "rclone";
  }

  private CliProcess.Output rclone(String... args) throws Exception {
    var cmd = new ArrayList<>(List.of("rclone", "--config", config.toString()));
    cmd.addAll(List.of(args));
    return cli.run(LIMIT, cmd);
  }

  @Override
  public void makeBucket(String bucket) throws Exception {
    rclone("mkdir", REMOTE + bucket);
  }

  @Override
  public void upload(Path file, String bucket, String key) throws Exception {
    rclone("copyto", file.toString(), REMOTE + bucket + "/" + key);
  }

  @Override
  public void download(String bucket, String key, Path file) throws Exception {
    rclone("copyto", REMOTE + bucket + "/" + key, file.toString());
  }

  @Override
  public Set<String> syncUp(Path dir, String bucket, String prefix) throws Exception {
    // -v logs "INFO  : sub/c.txt: Copied (new)" on standard error
    String log = rclone("sync", "-v", dir.toString(), REMOTE + bucket + "/" + prefix).stderr();
    var sent = new TreeSet<String>();
    for (String line : log.split("\n")) {
      int info = line.indexOf("INFO  : ");
      int copied = line.lastIndexOf(": Copied");
      if (info >= 0 && copied > info) {
        sent.add(prefix + line.substring(info + "INFO  : ".length(), copied));
      }
    }
    return sent;
  }

  @Override
  public void syncDown(String bucket, String prefix, Path dir) throws Exception {
    rclone("sync", REMOTE + bucket + "/" + prefix, dir.toString());
  }

  @Override
  public Listing list(String bucket, String prefix) throws Exception {
    // one entry a line: "<size>\t<name>", directories as "-1\t<name>/"
    String out =
        rclone("lsf", "--format", "sp", "--separator", "\t", REMOTE + bucket + "/" + prefix)
            .stdout();
    var objects = new TreeMap<String, Long>();
    var prefixes = new TreeSet<String>();
    for (String line : out.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t", 2);
      if (f[1].endsWith("/")) {
        prefixes.add(prefix + f[1]);
      } else {
        objects.put(prefix + f[1], Long.parseLong(f[0]));
      }
    }
    return new Listing(objects, prefixes);
  }

  @Override
  public Optional<URI> presign(String bucket, String key, Duration ttl) throws Exception {
    String out =
        rclone("link", "--expire", ttl.toSeconds() + "s", REMOTE + bucket + "/" + key).stdout();
    return Optional.of(URI.create(out.strip()));
  }

  @Override
  public void remove(String bucket, String key) throws Exception {
    rclone("deletefile", REMOTE + bucket + "/" + key);
  }

  @Override
  public void removeBucket(String bucket) throws Exception {
    rclone("purge", REMOTE + bucket);
  }
}
