package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 buckets and objects through the gateway with the AWS SDK for Java v2 (its default uploads:
 * aws-chunked with a signed trailer), against a real in-process cluster (DESIGN §10).
 */
@Timeout(120)
class S3ObjectsIT {
  @TempDir static Path dir;
  static S3Fixture f;
  static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    f = new S3Fixture(dir, Duration.ofSeconds(30));
    s3 = f.s3();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    f.close();
  }

  @Test
  void bucketsAreCreatedListedHeadedLocatedAndDeleted() {
    s3.createBucket(b -> b.bucket("life"));
    assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("life");
    s3.headBucket(b -> b.bucket("life"));
    assertThat(s3.getBucketLocation(b -> b.bucket("life")).locationConstraintAsString())
        .isNullOrEmpty();
    assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("life")))
        .isInstanceOf(BucketAlreadyOwnedByYouException.class);

    s3.putObject(b -> b.bucket("life").key("k"), RequestBody.fromString("v"));
    assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("life")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
            });
    s3.deleteObject(b -> b.bucket("life").key("k"));
    s3.deleteBucket(b -> b.bucket("life"));
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("life")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("life")))
        .isInstanceOf(NoSuchBucketException.class);
    // the bucket holding multipart state is neither listed nor usable
    assertThat(s3.listBuckets().buckets())
        .extracting(b -> b.name())
        .doesNotContain("catena-s3-multipart");
    assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("catena-s3-multipart")))
        .isInstanceOf(S3Exception.class);
  }

  @Test
  void smallObjectKeepsMetadataContentHeadersAndMd5ETag() throws Exception {
    s3.createBucket(b -> b.bucket("small"));
    byte[] data = "hello, chains".getBytes(StandardCharsets.UTF_8);
    Instant expires = Instant.parse("2030-01-02T03:04:05Z");
    var put =
        s3.putObject(
            b ->
                b.bucket("small")
                    .key("dir/hello.txt")
                    .contentType("text/plain")
                    .contentEncoding("identity")
                    .contentDisposition("attachment; filename=\"hello.txt\"")
                    .cacheControl("max-age=60")
                    .contentLanguage("en")
                    .expires(expires)
                    .metadata(Map.of("colour", "blue", "n", "7")),
            RequestBody.fromBytes(data));
    String md5 =
        "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
    assertThat(put.eTag()).isEqualTo(md5);

    HeadObjectResponse head = s3.headObject(b -> b.bucket("small").key("dir/hello.txt"));
    assertThat(head.eTag()).isEqualTo(md5);
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(head.contentEncoding()).isEqualTo("identity");
    assertThat(head.contentDisposition()).isEqualTo("attachment; filename=\"hello.txt\"");
    assertThat(head.cacheControl()).isEqualTo("max-age=60");
    assertThat(head.contentLanguage()).isEqualTo("en");
    assertThat(head.metadata()).isEqualTo(Map.of("colour", "blue", "n", "7"));

    ResponseBytes<GetObjectResponse> got =
        s3.getObjectAsBytes(b -> b.bucket("small").key("dir/hello.txt"));
    assertThat(got.asByteArray()).isEqualTo(data);
    assertThat(got.response().eTag()).isEqualTo(md5);
    assertThat(got.response().metadata()).containsEntry("colour", "blue");

    s3.deleteObject(b -> b.bucket("small").key("dir/hello.txt"));
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("small").key("dir/hello.txt")))
        .isInstanceOfSatisfying(
            NoSuchKeyException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("small").key("dir/hello.txt")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    // deleting an absent key succeeds, as in S3
    s3.deleteObject(b -> b.bucket("small").key("never"));
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("no-such-bucket").key("k")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void largeObjectStreamsAndServesSingleRanges() throws Exception {
    s3.createBucket(b -> b.bucket("large"));
    byte[] data = new byte[(18 << 20) + 12345]; // five chunks, the last partial
    new SplittableRandom(19).nextBytes(data);
    var put = s3.putObject(b -> b.bucket("large").key("blob"), RequestBody.fromBytes(data));
    assertThat(put.eTag())
        .isEqualTo(
            "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("large").key("blob")).asByteArray())
        .isEqualTo(data);

    long a = (4L << 20) - 100; // across the first chunk boundary
    var r =
        s3.getObjectAsBytes(
            b -> b.bucket("large").key("blob").range("bytes=" + a + "-" + (a + 199)));
    assertThat(r.asByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(data, (int) a, (int) a + 200));
    assertThat(r.response().contentRange())
        .isEqualTo("bytes " + a + "-" + (a + 199) + "/" + data.length);
    var suffix = s3.getObjectAsBytes(b -> b.bucket("large").key("blob").range("bytes=-1000"));
    assertThat(suffix.asByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 1000, data.length));
    var open =
        s3.getObjectAsBytes(
            b -> b.bucket("large").key("blob").range("bytes=" + (data.length - 10) + "-"));
    assertThat(open.asByteArray()).hasSize(10);
    assertThatThrownBy(
            () ->
                s3.getObject(
                    b -> b.bucket("large").key("blob").range("bytes=" + data.length + "-")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(416);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
            });
  }

  @Test
  void conditionalGetsAnswer304And412() {
    s3.createBucket(b -> b.bucket("cond"));
    String etag = s3.putObject(b -> b.bucket("cond").key("k"), RequestBody.fromString("x")).eTag();
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("cond").key("k").ifNoneMatch(etag)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("cond").key("k").ifMatch("\"0000\"")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("k").ifMatch(etag)).asUtf8String())
        .isEqualTo("x");
  }

  @Test
  void multiObjectDeleteAndCopy() {
    s3.createBucket(b -> b.bucket("multi"));
    for (String k : List.of("a", "b", "c")) {
      s3.putObject(
          b -> b.bucket("multi").key(k).metadata(Map.of("m", k)), RequestBody.fromString("v-" + k));
    }
    var copied =
        s3.copyObject(
            b ->
                b.sourceBucket("multi")
                    .sourceKey("a")
                    .destinationBucket("multi")
                    .destinationKey("a2"));
    assertThat(copied.copyObjectResult().eTag()).isNotBlank();
    assertThat(s3.getObjectAsBytes(b -> b.bucket("multi").key("a2")).asUtf8String())
        .isEqualTo("v-a");
    assertThat(s3.headObject(b -> b.bucket("multi").key("a2")).metadata()).containsEntry("m", "a");
    s3.copyObject(
        b ->
            b.sourceBucket("multi")
                .sourceKey("b")
                .destinationBucket("multi")
                .destinationKey("b2")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("text/x-new")
                .metadata(Map.of("m", "replaced")));
    var head = s3.headObject(b -> b.bucket("multi").key("b2"));
    assertThat(head.metadata()).isEqualTo(Map.of("m", "replaced"));
    assertThat(head.contentType()).isEqualTo("text/x-new");

    // Conditions on the copy's source: a failure is 412 and copies nothing.
    String sourceTag = s3.headObject(b -> b.bucket("multi").key("c")).eTag();
    assertThatThrownBy(
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket("multi")
                            .sourceKey("c")
                            .destinationBucket("multi")
                            .destinationKey("c-if-match")
                            .copySourceIfMatch("\"0123456789abcdef0123456789abcdef\"")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThatThrownBy(
            () ->
                s3.copyObject(
                    b ->
                        b.sourceBucket("multi")
                            .sourceKey("c")
                            .destinationBucket("multi")
                            .destinationKey("c-if-none-match")
                            .copySourceIfNoneMatch(sourceTag)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    s3.copyObject(
        b ->
            b.sourceBucket("multi")
                .sourceKey("c")
                .destinationBucket("multi")
                .destinationKey("c2")
                .copySourceIfMatch(sourceTag));
    s3.deleteObject(b -> b.bucket("multi").key("c2"));

    DeleteObjectsResponse d =
        s3.deleteObjects(
            b ->
                b.bucket("multi")
                    .delete(
                        Delete.builder()
                            .objects(
                                ObjectIdentifier.builder().key("a").build(),
                                ObjectIdentifier.builder().key("b").build(),
                                ObjectIdentifier.builder().key("absent").build())
                            .build()));
    assertThat(d.deleted()).extracting(x -> x.key()).containsExactlyInAnyOrder("a", "b", "absent");
    assertThat(d.errors()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket("multi")).contents())
        .extracting(o -> o.key())
        .containsExactly("a2", "b2", "c");
  }

  @Test
  void badContentMd5IsRefusedAndStoresNothing() {
    s3.createBucket(b -> b.bucket("digest"));
    assertThatThrownBy(
            () ->
                s3.putObject(
                    b -> b.bucket("digest").key("k").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
                    RequestBody.fromString("not empty")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("digest").key("k")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }
}
