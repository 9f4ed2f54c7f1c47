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
 * s3cmd (Debian package {@code s3cmd}) with its own config file ({@code -c}): SigV4, plain HTTP,
 * path-style addressing ({@code host_bucket} = {@code host_base}). Its defaults are kept: multipart
 * above 15 MiB in 15 MiB parts, one request at a time, {@code sync} compares sizes and MD5s (the
 * ETag of single-part objects).
 */
final class S3cmdClient implements CommandLineS3Client {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private final CliProcess cli;
  private final Path config;

  S3cmdClient(Path dir, URI endpoint, String accessKey, String secret) throws IOException {
    Files.createDirectories(dir);
    String host = endpoint.getHost() + ":" + endpoint.getPort();
    config = dir.resolve("s3cfg");
    Files.writeString(
        config,
        String.join(
            "\n",
            "[default]",
            "access_key = " + accessKey,
            "secret_key = " + secret,
            "host_base = " + host,
            "host_bucket = " + host,
            "use_https = False",
            "bucket_location = us-east-1",
            "signature_v2 = False",
            "progress_meter = False",
            ""));
    cli = new CliProcess(dir, Map.of("LC_ALL", "C.UTF-8"));
  }

  @Override
  public String command() {
    return "s3cmd";
  }

  @Override
  public String debianPackage() {
    return "s3cmd";
  }

  private CliProcess.Output s3cmd(String... args) throws Exception {
    var cmd = new ArrayList<>(List.of("s3cmd", "-c", config.toString()));
    cmd.addAll(List.of(args));
    return cli.run(LIMIT, cmd);
  }

  @Override
  public void makeBucket(String bucket) throws Exception {
    s3cmd("mb", "s3://" + bucket);
  }

  @Override
  public void upload(Path file, String bucket, String key) throws Exception {
    s3cmd("put", file.toString(), "s3://" + bucket + "/" + key);
  }

  @Override
  public void download(String bucket, String key, Path file) throws Exception {
    s3cmd("get", "--force", "s3://" + bucket + "/" + key, file.toString());
  }

  @Override
  public Set<String> syncUp(Path dir, String bucket, String prefix) throws Exception {
    // "upload: '<local>' -> 's3://bucket/key'  [1 of 7]"
    String out = s3cmd("sync", dir + "/", "s3://" + bucket + "/" + prefix).stdout();
    var sent = new TreeSet<String>();
    for (String line : out.split("\n")) {
      if (line.startsWith("upload: ")) {
        int from = line.indexOf("'s3://" + bucket + "/") + bucket.length() + 7;
        sent.add(line.substring(from, line.indexOf('\'', from)));
      }
    }
    return sent;
  }

  @Override
  public void syncDown(String bucket, String prefix, Path dir) throws Exception {
    s3cmd("sync", "s3://" + bucket + "/" + prefix, dir + "/");
  }

  @Override
  public Listing list(String bucket, String prefix) throws Exception {
    // "                          DIR  s3://bucket/prefix/deeper/"
    // "2026-12-07 18:21           12  s3://bucket/prefix/c.txt"
    String out = s3cmd("ls", "s3://" + bucket + "/" + prefix).stdout();
    String base = "s3://" + bucket + "/";
    var objects = new TreeMap<String, Long>();
    var prefixes = new TreeSet<String>();
    for (String line : out.split("\n")) {
      int at = line.indexOf(base);
      if (at < 0) {
        continue;
      }
      String key = line.substring(at + base.length());
      String[] before = line.substring(0, at).strip().split(" +");
      String last = before[before.length - 1];
      if (last.equals("DIR")) {
        prefixes.add(key);
      } else {
        objects.put(key, Long.parseLong(last));
      }
    }
    return new Listing(objects, prefixes);
  }

  @Override
  public Optional<URI> presign(String bucket, String key, Duration ttl) throws Exception {
    String out = s3cmd("signurl", "s3://" + bucket + "/" + key, "+" + ttl.toSeconds()).stdout();
    return Optional.of(URI.create(out.strip()));
  }

  @Override
  public void remove(String bucket, String key) throws Exception {
    s3cmd("del", "s3://" + bucket + "/" + key);
  }

  @Override
  public void removeBucket(String bucket) throws Exception {
    s3cmd("del", "--recursive", "--force", "s3://" + bucket);
    s3cmd("rb", "s3://" + bucket);
  }
}
