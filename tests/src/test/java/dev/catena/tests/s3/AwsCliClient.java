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
 * The aws CLI ({@code aws s3 …}, Debian package {@code awscli}): credentials and path-style
 * addressing in its own config files named by {@code AWS_CONFIG_FILE} and {@code
 * AWS_SHARED_CREDENTIALS_FILE}, the endpoint by {@code --endpoint-url}. Its defaults are kept:
 * multipart from 8 MiB in 8 MiB parts, 10 concurrent requests.
 */
final class AwsCliClient implements CommandLineS3Client {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private final CliProcess cli;
  private final String endpoint;

  AwsCliClient(Path dir, URI endpoint, String accessKey, String secret) throws IOException {
    Files.createDirectories(dir);
    Path config = dir.resolve("aws-config");
    Path credentials = dir.resolve("aws-credentials");
    Files.writeString(
        config,
        """
        [default]
        region = us-east-1
        s3 =
            addressing_style = path
        """);
    Files.writeString(
        credentials,
        "[default]\naws_access_key_id = "
            + accessKey
            + "\naws_secret_access_key = "
            + secret
            + "\n");
    this.cli =
        new CliProcess(
            dir,
            Map.of(
                "AWS_CONFIG_FILE",
                config.toString(),
                "AWS_SHARED_CREDENTIALS_FILE",
                credentials.toString(),
                "AWS_EC2_METADATA_DISABLED",
                "true",
                "AWS_PAGER",
                ""));
    this.endpoint = endpoint.toString();
  }

  @Override
  public String command() {
    return "aws";
  }

  @Override
  public String debianPackage() {
    return "awscli";
  }

  private CliProcess.Output s3(String... args) throws Exception {
    var cmd = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint, "s3"));
    cmd.addAll(List.of(args));
    if (args[0].equals("cp") || args[0].equals("sync")) {
      cmd.add("--no-progress");
    }
    return cli.run(LIMIT, cmd);
  }

  @Override
  public void makeBucket(String bucket) throws Exception {
    s3("mb", "s3://" + bucket);
  }

  @Override
  public void upload(Path file, String bucket, String key) throws Exception {
    s3("cp", file.toString(), "s3://" + bucket + "/" + key);
  }

  @Override
  public void download(String bucket, String key, Path file) throws Exception {
    s3("cp", "s3://" + bucket + "/" + key, file.toString());
  }

  @Override
  public Set<String> syncUp(Path dir, String bucket, String prefix) throws Exception {
    String out = s3("sync", dir.toString(), "s3://" + bucket + "/" + prefix).stdout();
    var sent = new TreeSet<String>();
    for (String line : out.split("\n")) {
      if (line.startsWith("upload: ")) { // upload: <local> to s3://bucket/key
        String base = "s3://" + bucket + "/";
        sent.add(line.substring(line.lastIndexOf(base + prefix) + base.length()));
      }
    }
    return sent;
  }

  @Override
  public void syncDown(String bucket, String prefix, Path dir) throws Exception {
    s3("sync", "s3://" + bucket + "/" + prefix, dir.toString());
  }

  @Override
  public Listing list(String bucket, String prefix) throws Exception {
    // "                           PRE deeper/" and "2026-12-07 18:00:00         12 c.txt"
    String out = s3("ls", "s3://" + bucket + "/" + prefix).stdout();
    var objects = new TreeMap<String, Long>();
    var prefixes = new TreeSet<String>();
    for (String line : out.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (t.startsWith("PRE ")) {
        prefixes.add(prefix + t.substring(4));
      } else {
        String[] f = line.strip().split(" +", 4);
        objects.put(prefix + f[3], Long.parseLong(f[2]));
      }
    }
    return new Listing(objects, prefixes);
  }

  @Override
  public Optional<URI> presign(String bucket, String key, Duration ttl) throws Exception {
    var cmd =
        List.of(
            "aws",
            "--endpoint-url",
            endpoint,
            "s3",
            "presign",
            "s3://" + bucket + "/" + key,
            "--expires-in",
            Long.toString(ttl.toSeconds()));
    return Optional.of(URI.create(cli.run(LIMIT, cmd).stdout().strip()));
  }

  @Override
  public void remove(String bucket, String key) throws Exception {
    s3("rm", "s3://" + bucket + "/" + key);
  }

  @Override
  public void removeBucket(String bucket) throws Exception {
    s3("rb", "--force", "s3://" + bucket);
  }
}
