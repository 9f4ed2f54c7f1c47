package dev.catena.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.client.BucketExistsException;
import dev.catena.client.BucketNotEmptyException;
import dev.catena.client.CatenaClient;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.ListOptions;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.ObjectSummary;
import dev.catena.client.PutOptions;
import dev.catena.client.impl.Checksums;
import dev.catena.client.zk.ClusterView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real cluster: ZooKeeper in process, three storage nodes over gRPC, three
 * rotated chains of length 3 (DESIGN §3), 64 shards.
 */
class CatenaClientIT {
  @TempDir static Path dir;
  static LocalCatenaCluster cluster;
  static ClusterView view;
  static CatenaClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = new LocalCatenaCluster(dir, 3, 3, 64);
    view = cluster.openView();
    client =
        CatenaClient.builder()
            .clusterView(view)
            .chunkSize(1 << 20)
            .requestTimeout(Duration.ofSeconds(20))
            .build();
  }

  @AfterAll
  static void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (view != null) {
      view.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void thousandSmallObjectsRoundTrip() throws IOException {
    client.createBucket("small");
    var rnd = new SplittableRandom(42);
    Map<String, byte[]> model = new HashMap<>();
    List<CompletableFuture<ObjectMetadata>> puts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] v = new byte[rnd.nextInt(0, 3000)];
      rnd.nextBytes(v);
      String key = "obj/" + i;
      model.put(key, v);
      puts.add(client.putObjectAsync("small", key, v, PutOptions.contentType("text/plain")));
      if (puts.size() == 100) {
        puts.forEach(CompletableFuture::join);
        puts.clear();
      }
    }
    puts.forEach(CompletableFuture::join);
    for (var e : model.entrySet()) {
      try (ObjectContent c = client.getObject("small", e.getKey())) {
        assertThat(c.readAllBytes()).as(e.getKey()).isEqualTo(e.getValue());
        assertThat(c.metadata().etag()).isEqualTo(Checksums.md5Hex(e.getValue()));
        assertThat(c.metadata().contentType()).isEqualTo("text/plain");
      }
    }
  }

  /** DESIGN §2: chunks spread over chains, manifest last, CRC32C per chunk, bounded memory. */
  @Test
  void largeObjectRoundTripsByteExactWithRangedReads() throws Exception {
    client.createBucket("large");
    long seed = 7;
    long size = 64L << 20;
    var opts = PutOptions.contentType("application/x-test").withMetadata("origin", "seeded");
    ObjectMetadata put =
        client.putObject("large", "big.bin", SeededBytes.stream(seed, 0, size), size, opts);
    assertThat(put.size()).isEqualTo(size);
    assertThat(put.chunkCount()).isEqualTo(64);
    assertThat(put.etag()).isEqualTo(md5Of(SeededBytes.stream(seed, 0, size)));

    ObjectMetadata head = client.headObject("large", "big.bin");
    assertThat(head.etag()).isEqualTo(put.etag());
    assertThat(head.userMetadata()).containsEntry("origin", "seeded");
    try (ObjectContent c = client.getObject("large", "big.bin")) {
      assertSameBytes(c.stream(), SeededBytes.stream(seed, 0, size), size);
    }
    long mib = 1 << 20;
    long[][] ranges = {
      {0, 10}, {mib - 5, 10}, {3 * mib, mib}, {5 * mib + 1, 3 * mib}, {size - 7, 100}, {12345, -1}
    };
    for (long[] r : ranges) {
      long expected = r[1] < 0 ? size - r[0] : Math.min(r[1], size - r[0]);
      try (ObjectContent c = client.getObject("large", "big.bin", r[0], r[1])) {
        assertThat(c.length()).isEqualTo(expected);
        assertSameBytes(c.stream(), SeededBytes.stream(seed, r[0], expected), expected);
      }
    }
    assertThatThrownBy(() -> client.getObject("large", "big.bin", size, 1))
        .isInstanceOf(InvalidRequestException.class);

    // Unknown length: the client discovers the size while streaming.
    long size2 = 3 * mib + 17;
    ObjectMetadata put2 =
        client.putObject("large", "unknown.bin", SeededBytes.stream(9, 0, size2), -1, opts);
    assertThat(put2.size()).isEqualTo(size2);
    try (ObjectContent c = client.getObject("large", "unknown.bin")) {
      assertSameBytes(c.stream(), SeededBytes.stream(9, 0, size2), size2);
    }
    // A stream shorter than its declared length commits nothing.
    assertThatThrownBy(
            () ->
                client.putObject(
                    "large", "short.bin", SeededBytes.stream(1, 0, 2 * mib), 3 * mib, opts))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> client.headObject("large", "short.bin"))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void listingWithPrefixAndContinuationMatchesTreeMapModel() {
    client.createBucket("listing");
    var rnd = new SplittableRandom(3);
    TreeMap<String, Long> model = new TreeMap<>();
    List<CompletableFuture<ObjectMetadata>> puts = new ArrayList<>();
    String[] prefixes = {"a/", "a/b/", "b/", "c", "ü/"};
    for (int i = 0; i < 300; i++) {
      String key =
          prefixes[rnd.nextInt(prefixes.length)] + Integer.toString(rnd.nextInt(100_000), 36);
      byte[] v = new byte[rnd.nextInt(1, 50)];
      model.put(key, (long) v.length);
      puts.add(client.putObjectAsync("listing", key, v, PutOptions.DEFAULT));
    }
    puts.forEach(CompletableFuture::join);
    for (String prefix : new String[] {"", "a/", "a/b/", "c", "ü/", "zz"}) {
      for (int maxKeys : new int[] {1, 7, 1000}) {
        var expected = new ArrayList<String>();
        model.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(expected::add);
        assertThat(listAll(prefix, maxKeys))
            .as("prefix %s max %d", prefix, maxKeys)
            .isEqualTo(expected);
      }
    }
    String after = model.keySet().stream().skip(100).findFirst().orElseThrow();
    ObjectListing page =
        client.listObjects("listing", ListOptions.prefix("").withStartAfter(after).withMaxKeys(5));
    assertThat(page.objects().stream().map(ObjectSummary::key).toList())
        .isEqualTo(model.tailMap(after, false).keySet().stream().limit(5).toList());
    assertThat(page.objects().get(0).size()).isEqualTo(model.get(page.objects().get(0).key()));
  }

  private List<String> listAll(String prefix, int maxKeys) {
    var keys = new ArrayList<String>();
    ListOptions opts = ListOptions.prefix(prefix).withMaxKeys(maxKeys);
    for (int pages = 0; pages < 1000; pages++) {
      ObjectListing page = client.listObjects("listing", opts);
      assertThat(page.objects().size()).isLessThanOrEqualTo(maxKeys);
      page.objects().forEach(s -> keys.add(s.key()));
      if (!page.truncated()) {
        return keys;
      }
      opts = opts.next(page);
    }
    throw new AssertionError("listing did not end");
  }

  @Test
  void deleteThenGetIsNoSuchKey() {
    client.createBucket("deletes");
    client.putObject("deletes", "k", new byte[] {1, 2, 3});
    assertThat(client.headObject("deletes", "k").size()).isEqualTo(3);
    client.deleteObject("deletes", "k");
    assertThatThrownBy(() -> client.getObject("deletes", "k"))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(client.listObjects("deletes", ListOptions.ALL).objects()).isEmpty();
    client.deleteObject("deletes", "never-existed"); // S3: deleting an absent key succeeds
  }

  @Test
  void bucketLifecycle() {
    client.createBucket("life");
    assertThat(client.listBuckets()).anyMatch(b -> b.name().equals("life"));
    assertThatThrownBy(() -> client.createBucket("life")).isInstanceOf(BucketExistsException.class);
    assertThatThrownBy(() -> client.createBucket("Bad_Name"))
        .isInstanceOf(InvalidRequestException.class);
    client.putObject("life", "x", new byte[10]);
    assertThatThrownBy(() -> client.deleteBucket("life"))
        .isInstanceOf(BucketNotEmptyException.class);
    client.deleteObject("life", "x");
    client.deleteBucket("life");
    assertThat(client.listBuckets()).noneMatch(b -> b.name().equals("life"));
    assertThatThrownBy(() -> client.putObject("life", "x", new byte[1]))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> client.deleteBucket("life")).isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> client.getObject("no-such-bucket", "x"))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void oversizedKeyIsRefusedAndNothingIsWritten() {
    client.createBucket("keys");
    String tooLong = "k".repeat(1025);
    assertThatThrownBy(() -> client.putObject("keys", tooLong, new byte[1]))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                client.putObject(
                    "keys",
                    tooLong,
                    SeededBytes.stream(1, 0, 1 << 20),
                    1 << 20,
                    PutOptions.DEFAULT))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(client.listObjects("keys", ListOptions.ALL).objects()).isEmpty();
    String longest = "k".repeat(1024);
    client.putObject("keys", longest, new byte[1]);
    assertThat(client.listObjects("keys", ListOptions.ALL).objects())
        .extracting(ObjectSummary::key)
        .containsExactly(longest);
  }

  private static String md5Of(InputStream in) throws IOException {
    MessageDigest md5 = Checksums.md5();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md5.update(buf, 0, n);
    }
    return Checksums.hex(md5.digest());
  }

  private static void assertSameBytes(InputStream actual, InputStream expected, long length)
      throws IOException {
    byte[] a = new byte[1 << 16];
    byte[] e = new byte[1 << 16];
    long pos = 0;
    while (pos < length) {
      int n = actual.readNBytes(a, 0, (int) Math.min(a.length, length - pos));
      assertThat(n).as("bytes at %d", pos).isPositive();
      assertThat(expected.readNBytes(e, 0, n)).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        if (a[i] != e[i]) {
          throw new AssertionError("byte " + (pos + i) + " differs");
        }
      }
      pos += n;
    }
    assertThat(actual.read()).as("end of stream").isEqualTo(-1);
  }
}
