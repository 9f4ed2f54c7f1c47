package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjects v1 and v2 through the gateway: prefix, delimiter, paging, start-after, url encoding.
 */
@Timeout(120)
class S3ListingIT {
  @TempDir static Path dir;
  static S3Fixture f;
  static S3Client s3;

  static final List<String> KEYS =
      List.of(
          "docs/a.txt",
          "docs/b.txt",
          "docs/deep/c.txt",
          "docs/deep/d.txt",
          "img/1.png",
          "img/2.png",
          "readme",
          "space key.txt",
          "zeta/z");

  @BeforeAll
  static void start() throws Exception {
    f = new S3Fixture(dir, Duration.ofSeconds(30));
    s3 = f.s3();
    s3.createBucket(b -> b.bucket("tree"));
    for (String k : KEYS) {
      s3.putObject(b -> b.bucket("tree").key(k), RequestBody.fromString(k));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    f.close();
  }

  @Test
  void v2PagesWithDelimiterInS3Order() {
    var entries = new ArrayList<String>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      ListObjectsV2Response r =
          s3.listObjectsV2(b -> b.bucket("tree").delimiter("/").maxKeys(2).continuationToken(t));
      assertThat(r.keyCount()).isLessThanOrEqualTo(2);
      r.commonPrefixes().forEach(p -> entries.add(p.prefix()));
      r.contents().forEach(o -> entries.add(o.key()));
      token = r.nextContinuationToken();
      assertThat(r.isTruncated()).isEqualTo(token != null);
      pages++;
    } while (token != null);
    assertThat(entries)
        .containsExactlyInAnyOrder("docs/", "img/", "readme", "space key.txt", "zeta/");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void v2PrefixDelimiterAndStartAfter() {
    ListObjectsV2Response r =
        s3.listObjectsV2(b -> b.bucket("tree").prefix("docs/").delimiter("/"));
    assertThat(r.contents()).extracting(S3Object::key).containsExactly("docs/a.txt", "docs/b.txt");
    assertThat(r.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("docs/deep/");
    assertThat(r.contents()).allSatisfy(o -> assertThat(o.eTag()).startsWith("\""));

    ListObjectsV2Response after = s3.listObjectsV2(b -> b.bucket("tree").startAfter("img/2.png"));
    assertThat(after.contents())
        .extracting(S3Object::key)
        .containsExactly("readme", "space key.txt", "zeta/z");

    // the SDK asks for encoding-type=url by default and decodes; ask explicitly too
    ListObjectsV2Response enc =
        s3.listObjectsV2(b -> b.bucket("tree").prefix("space").encodingType(EncodingType.URL));
    assertThat(enc.contents()).extracting(S3Object::key).containsExactly("space key.txt");
  }

  @Test
  void v1MarkersPageWithoutRepeats() {
    var keys = new ArrayList<String>();
    String marker = null;
    while (true) {
      String m = marker;
      ListObjectsResponse r = s3.listObjects(b -> b.bucket("tree").maxKeys(4).marker(m));
      r.contents().forEach(o -> keys.add(o.key()));
      if (!r.isTruncated()) {
        break;
      }
      marker = r.nextMarker() != null ? r.nextMarker() : keys.get(keys.size() - 1);
    }
    assertThat(keys).isEqualTo(KEYS);
  }

  @Test
  void listingIsConsistentWhileObjectsAreAdded() {
    s3.createBucket(b -> b.bucket("growing"));
    for (int i = 0; i < 20; i += 2) {
      String k = String.format("k%02d", i);
      s3.putObject(b -> b.bucket("growing").key(k), RequestBody.fromString(k));
    }
    var seen = new ArrayList<String>();
    String token = null;
    int added = 1;
    do {
      String t = token;
      ListObjectsV2Response r =
          s3.listObjectsV2(b -> b.bucket("growing").maxKeys(3).continuationToken(t));
      r.contents().forEach(o -> seen.add(o.key()));
      String k = String.format("k%02d", added);
      s3.putObject(b -> b.bucket("growing").key(k), RequestBody.fromString(k));
      added += 2;
      token = r.nextContinuationToken();
    } while (token != null);
    assertThat(seen).doesNotHaveDuplicates().isSorted();
    assertThat(seen).containsAll(List.of("k00", "k02", "k18"));
  }
}
