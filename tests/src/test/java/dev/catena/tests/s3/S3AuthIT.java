package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Authentication and access through the gateway: keys from ZooKeeper (secrets sealed), SigV4 in
 * headers and presigned URLs. The AWS SDK's own signer is the oracle that builds the requests; the
 * refusals are S3's 403 documents, every time.
 */
@Timeout(120)
class S3AuthIT {
  @TempDir static Path dir;
  static S3Fixture f;
  static S3Client admin;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    f = new S3Fixture(dir, Duration.ofSeconds(30));
    admin = f.s3();
    admin.createBucket(b -> b.bucket("alpha"));
    admin.createBucket(b -> b.bucket("beta"));
    admin.putObject(b -> b.bucket("alpha").key("doc"), RequestBody.fromString("alpha doc"));
    admin.putObject(b -> b.bucket("beta").key("doc"), RequestBody.fromString("beta doc"));
    f.createKey("limited", "limited-secret-abcdef", List.of("alpha"));
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    f.close();
  }

  private static String code(Runnable r) {
    try {
      r.run();
    } catch (S3Exception e) {
      assertThat(e.statusCode()).isEqualTo(403);
      return e.awsErrorDetails().errorCode();
    }
    throw new AssertionError("the request was accepted");
  }

  @Test
  void wrongSecretAndUnknownKeyAreRefused() {
    try (S3Client wrong = f.s3(S3Fixture.ADMIN_ID, "not-the-secret");
        S3Client unknown = f.s3("nobody", "whatever")) {
      for (int i = 0; i < 3; i++) { // every time
        assertThat(code(() -> wrong.listBuckets())).isEqualTo("SignatureDoesNotMatch");
        assertThat(
                code(
                    () ->
                        wrong.putObject(
                            b -> b.bucket("alpha").key("x"), RequestBody.fromString("x"))))
            .isEqualTo("SignatureDoesNotMatch");
        assertThat(code(() -> unknown.getObject(b -> b.bucket("alpha").key("doc"))))
            .isEqualTo("InvalidAccessKeyId");
      }
    }
    assertThatThrownBy(() -> admin.headObject(b -> b.bucket("alpha").key("x")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  void aKeyIsLimitedToItsBuckets() {
    try (S3Client limited = f.s3("limited", "limited-secret-abcdef")) {
      assertThat(limited.getObjectAsBytes(b -> b.bucket("alpha").key("doc")).asUtf8String())
          .isEqualTo("alpha doc");
      limited.putObject(b -> b.bucket("alpha").key("mine"), RequestBody.fromString("ok"));
      assertThat(limited.listBuckets().buckets())
          .extracting(b -> b.name())
          .containsExactly("alpha");
      assertThat(code(() -> limited.getObject(b -> b.bucket("beta").key("doc"))))
          .isEqualTo("AccessDenied");
      assertThat(
              code(
                  () ->
                      limited.putObject(
                          b -> b.bucket("beta").key("x"), RequestBody.fromString("x"))))
          .isEqualTo("AccessDenied");
      assertThat(code(() -> limited.listObjectsV2(b -> b.bucket("beta"))))
          .isEqualTo("AccessDenied");
      assertThat(code(() -> limited.deleteBucket(b -> b.bucket("beta")))).isEqualTo("AccessDenied");
      assertThat(
              code(
                  () ->
                      limited.copyObject(
                          b ->
                              b.sourceBucket("beta")
                                  .sourceKey("doc")
                                  .destinationBucket("alpha")
                                  .destinationKey("stolen"))))
          .isEqualTo("AccessDenied");
    }
    assertThatThrownBy(() -> admin.headObject(b -> b.bucket("alpha").key("stolen")))
        .isInstanceOf(S3Exception.class);
    assertThatThrownBy(() -> admin.headObject(b -> b.bucket("beta").key("x")))
        .isInstanceOf(S3Exception.class);
  }

  @Test
  void aDeletedKeyStopsWorking() throws Exception {
    f.createKey("temporary", "temporary-secret-123", List.of("*"));
    try (S3Client temp = f.s3("temporary", "temporary-secret-123")) {
      assertThat(temp.listBuckets().buckets()).isNotEmpty();
      assertThat(f.keys.delete("temporary")).isTrue();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> f.keys.find("temporary").isEmpty());
      assertThat(code(() -> temp.listBuckets())).isEqualTo("InvalidAccessKeyId");
    }
  }

  @Test
  void presignedUrlsWorkUntilTheyExpire() throws Exception {
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(f.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                () -> AwsBasicCredentials.create(S3Fixture.ADMIN_ID, S3Fixture.ADMIN_SECRET))
            .serviceConfiguration(
                software.amazon.awssdk.services.s3.S3Configuration.builder()
                    .pathStyleAccessEnabled(true)
                    .build())
            .build()) {
      URI url =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(5))
                          .getObjectRequest(g -> g.bucket("alpha").key("doc")))
              .url()
              .toURI();
      HttpResponse<String> ok =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("alpha doc");
    }
    // signed an hour ago for one minute: expired, although the signature itself is right
    SdkHttpFullRequest get =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(URI.create(f.endpoint() + "/alpha/doc"))
            .build();
    SignedRequest old =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsBasicCredentials.create(S3Fixture.ADMIN_ID, S3Fixture.ADMIN_SECRET))
                        .request(get)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                            AwsV4HttpSigner.AUTH_LOCATION,
                            AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(1))
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(
                            HttpSigner.SIGNING_CLOCK,
                            Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC)));
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> expired =
          http.send(
              HttpRequest.newBuilder(old.request().getUri()).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(expired.statusCode()).isEqualTo(403);
      assertThat(expired.body()).contains("<Code>AccessDenied</Code>").contains("expired");
    }
  }

  @Test
  void aTamperedBodyIsRefusedAndNothingIsStored() throws Exception {
    byte[] original = "pay alice 10".getBytes(StandardCharsets.UTF_8);
    byte[] tampered = "pay mallory".getBytes(StandardCharsets.UTF_8);
    SdkHttpFullRequest put =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.PUT)
            .uri(URI.create(f.endpoint() + "/alpha/payment"))
            .putHeader("Content-Length", String.valueOf(original.length))
            .contentStreamProvider(() -> new ByteArrayInputStream(original))
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsBasicCredentials.create(S3Fixture.ADMIN_ID, S3Fixture.ADMIN_SECRET))
                        .request(put)
                        .payload(ContentStreamProvider.fromByteArray(original))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    // the body replaced, the signed hash kept: the payload no longer matches it
    HttpResponse<String> mismatch = send(signed, tampered, null);
    assertThat(mismatch.statusCode()).isEqualTo(400);
    assertThat(mismatch.body()).contains("XAmzContentSHA256Mismatch");
    // the body replaced and its hash updated: the signature no longer matches
    String newHash =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tampered));
    HttpResponse<String> forged = send(signed, tampered, newHash);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("SignatureDoesNotMatch");
    // the untampered request is accepted, which shows the two refusals were about the tampering
    assertThat(send(signed, original, null).statusCode()).isEqualTo(200);
    admin.deleteObject(b -> b.bucket("alpha").key("payment"));
    assertThat(mismatch.statusCode()).isNotEqualTo(200);
  }

  /**
   * A bucket name outside S3's rules (an underscore), which the SDK's client would not send, signed
   * by hand: Catena refuses it and the gateway answers S3's InvalidBucketName.
   */
  @Test
  void aBucketNameOutsideS3sRulesIsInvalidBucketName() throws Exception {
    byte[] empty = new byte[0];
    SdkHttpFullRequest create =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.PUT)
            .uri(URI.create(f.endpoint() + "/bad_name"))
            .putHeader("Content-Length", "0")
            .contentStreamProvider(() -> new ByteArrayInputStream(empty))
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(
                            AwsBasicCredentials.create(S3Fixture.ADMIN_ID, S3Fixture.ADMIN_SECRET))
                        .request(create)
                        .payload(ContentStreamProvider.fromByteArray(empty))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
    HttpResponse<String> refused = send(signed, empty, null);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("<Code>InvalidBucketName</Code>");
    assertThat(admin.listBuckets().buckets()).extracting(b -> b.name()).doesNotContain("bad_name");
  }

  private static HttpResponse<String> send(SignedRequest signed, byte[] body, String contentSha256)
      throws Exception {
    var b =
        HttpRequest.newBuilder(signed.request().getUri())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> {
              if (!List.of("host", "content-length").contains(name.toLowerCase())) {
                String v = values.get(0);
                if (name.equalsIgnoreCase("x-amz-content-sha256") && contentSha256 != null) {
                  v = contentSha256;
                }
                b.header(name, v);
              }
            });
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
