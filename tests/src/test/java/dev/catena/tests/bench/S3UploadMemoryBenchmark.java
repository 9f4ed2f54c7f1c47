package dev.catena.tests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Memory of one large upload through a running S3 gateway: the AWS SDK for Java v2 (default
 * settings: a single PutObject, aws-chunked with a signed trailer) sends {@code bench.size} bytes
 * (2 GiB) from a seeded generator (never held in memory), reads the object back and compares
 * SHA-256s. Prints this client's peak heap (sum of the heap pools' peaks) and peak RSS ({@code
 * VmHWM}), and — given {@code bench.gatewayPid} — the gateway process's peak and current RSS before
 * and after. Endpoint and key from {@code bench.endpoint} and {@code AWS_ACCESS_KEY_ID} / {@code
 * AWS_SECRET_ACCESS_KEY} (as {@code bin/catena local} prints them). Linux only (reads {@code
 * /proc}).
 */
public final class S3UploadMemoryBenchmark {
  private S3UploadMemoryBenchmark() {}

  /** {@code length} bytes of a seeded generator. */
  static final class Generated extends InputStream {
    private final SplittableRandom random;
    private long left;

    Generated(long seed, long length) {
      random = new SplittableRandom(seed);
      left = length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) random.nextInt(256);
      }
      left -= n;
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    long size = Long.getLong("bench.size", 2L << 30);
    URI endpoint = URI.create(System.getProperty("bench.endpoint", "http://127.0.0.1:9000"));
    String gatewayPid = System.getProperty("bench.gatewayPid");
    String bucket = "memory-bench";
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        System.getenv("AWS_ACCESS_KEY_ID"),
                        System.getenv("AWS_SECRET_ACCESS_KEY"))))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(b -> b.bucket(bucket));
      }
      String gatewayBefore = gatewayPid == null ? "-" : rss(gatewayPid);
      long t0 = System.nanoTime();
      s3.putObject(
          b -> b.bucket(bucket).key("big"),
          RequestBody.fromContentProvider(
              () -> new Generated(42, size), size, "application/octet-stream"));
      double putSeconds = (System.nanoTime() - t0) / 1e9;
      String gatewayAfterPut = gatewayPid == null ? "-" : rss(gatewayPid);
      String sent = sha256(new Generated(42, size));
      String stored;
      try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("big"))) {
        stored = sha256(in);
      }
      s3.deleteObject(b -> b.bucket(bucket).key("big"));
      System.out.printf(
          "size %d MiB, put %.1f s (%.1f MiB/s), read back %s%n",
          size >> 20,
          putSeconds,
          (size >> 20) / putSeconds,
          sent.equals(stored) ? "identical (SHA-256)" : "DIFFERENT");
      System.out.printf(
          "client: max heap %d MiB, peak heap used %d MiB, %s%n",
          Runtime.getRuntime().maxMemory() >> 20, peakHeap() >> 20, rss("self"));
      if (gatewayPid != null) {
        System.out.printf("gateway before: %s%n", gatewayBefore);
        System.out.printf("gateway after put: %s%n", gatewayAfterPut);
      }
      if (!sent.equals(stored)) {
        System.exit(1);
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** "peak RSS x MiB, RSS y MiB" of a process, from its VmHWM and VmRSS. */
  private static String rss(String pid) throws IOException {
    long hwm = 0;
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith("VmHWM:")) {
        hwm = kib(line);
      } else if (line.startsWith("VmRSS:")) {
        rss = kib(line);
      }
    }
    return "peak RSS " + (hwm >> 10) + " MiB, RSS " + (rss >> 10) + " MiB";
  }

  private static long kib(String statusLine) {
    return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
