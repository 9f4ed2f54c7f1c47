package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.catena.client.ListOptions;
import dev.catena.client.impl.DefaultCatenaClient;
import dev.catena.proto.v1.ChunkRef;
import dev.catena.proto.v1.ObjectManifest;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Multipart uploads through the gateway: a 100 MiB upload in 20 parts completed as a metadata
 * operation (the object's manifest references the parts' chunks), read back whole and in ranges
 * across part and chunk boundaries, compared by SHA-256; list parts and uploads, abort, and the
 * errors S3 gives for bad completions.
 */
@Timeout(180)
class S3MultipartIT {
  static final int PART = 5 << 20;
  static final int PARTS = 20; // 100 MiB

  @TempDir static Path dir;
  static S3Fixture f;
  static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    f = new S3Fixture(dir, Duration.ofSeconds(30));
    s3 = f.s3();
    s3.createBucket(b -> b.bucket("mpu"));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    f.close();
  }

  static byte[] part(long seed, int number, int size) {
    byte[] b = new byte[size];
    new SplittableRandom(seed * 1_000 + number).nextBytes(b);
    return b;
  }

  @Test
  void hundredMiBCompletesByReferenceAndReadsBackByteExact() throws Exception {
    String id =
        s3.createMultipartUpload(
                b ->
                    b.bucket("mpu")
                        .key("big.bin")
                        .contentType("application/x-big")
                        .metadata(Map.of("k", "v")))
            .uploadId();
    MessageDigest whole = MessageDigest.getInstance("SHA-256");
    MessageDigest etags = MessageDigest.getInstance("MD5");
    var completed = new ArrayList<CompletedPart>();
    for (int n = 1; n <= PARTS; n++) {
      byte[] data = part(7, n, PART);
      whole.update(data);
      etags.update(MessageDigest.getInstance("MD5").digest(data));
      int pn = n;
      String etag =
          s3.uploadPart(
                  b -> b.bucket("mpu").key("big.bin").uploadId(id).partNumber(pn),
                  RequestBody.fromBytes(data))
              .eTag();
      completed.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
    }
    assertThat(s3.listParts(b -> b.bucket("mpu").key("big.bin").uploadId(id)).parts())
        .hasSize(PARTS);
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads())
        .anySatisfy(u -> assertThat(u.uploadId()).isEqualTo(id));
    // the parts' chunks, before completion
    var partChunks = new java.util.HashSet<String>();
    for (var s :
        f.client
            .listObjects("catena-s3-multipart", ListOptions.prefix("parts/" + id + "/"))
            .objects()) {
      manifest("catena-s3-multipart", s.key())
          .getChunksList()
          .forEach(c -> partChunks.add(c.getChunkId()));
    }
    assertThat(partChunks).hasSize(PARTS * 2); // 4 MiB + 1 MiB per 5 MiB part

    var done =
        s3.completeMultipartUpload(
            b ->
                b.bucket("mpu")
                    .key("big.bin")
                    .uploadId(id)
                    .multipartUpload(m -> m.parts(completed)));
    assertThat(done.eTag())
        .isEqualTo("\"" + HexFormat.of().formatHex(etags.digest()) + "-" + PARTS + "\"");

    ObjectManifest m = manifest("mpu", "big.bin");
    assertThat(m.getSize()).isEqualTo((long) PART * PARTS);
    assertThat(m.getChunksList())
        .extracting(ChunkRef::getChunkId)
        .containsExactlyInAnyOrderElementsOf(partChunks);
    // parts and the upload record are gone; the object keeps its chunks
    assertThat(
            f.client
                .listObjects("catena-s3-multipart", ListOptions.prefix("parts/" + id + "/"))
                .objects())
        .isEmpty();
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu")).uploads())
        .noneSatisfy(u -> assertThat(u.uploadId()).isEqualTo(id));

    var head = s3.headObject(b -> b.bucket("mpu").key("big.bin"));
    assertThat(head.contentLength()).isEqualTo((long) PART * PARTS);
    assertThat(head.contentType()).isEqualTo("application/x-big");
    assertThat(head.metadata()).containsEntry("k", "v");
    assertThat(head.eTag()).isEqualTo(done.eTag());

    MessageDigest got = MessageDigest.getInstance("SHA-256");
    try (InputStream in = s3.getObject(b -> b.bucket("mpu").key("big.bin"))) {
      byte[] buf = new byte[1 << 16];
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        got.update(buf, 0, r);
      }
    }
    assertThat(got.digest()).isEqualTo(whole.digest());

    // ranges across a part boundary (5 MiB), a chunk boundary inside a part (4 MiB), and several
    // parts
    long[][] ranges = {
      {PART - 1000, PART + 999}, {(4 << 20) - 10, (4 << 20) + 10}, {3L * PART - 7, 6L * PART + 7}
    };
    for (long[] r : ranges) {
      byte[] expected = expectedRange(r[0], r[1]);
      byte[] actual =
          s3.getObjectAsBytes(
                  b -> b.bucket("mpu").key("big.bin").range("bytes=" + r[0] + "-" + r[1]))
              .asByteArray();
      assertThat(sha256(actual)).as("range %d-%d", r[0], r[1]).isEqualTo(sha256(expected));
    }
  }

  private static byte[] expectedRange(long first, long last) {
    var out = new java.io.ByteArrayOutputStream();
    for (long p = first / PART; p <= last / PART; p++) {
      byte[] data = part(7, (int) p + 1, PART);
      long from = Math.max(first, p * PART) - p * PART;
      long to = Math.min(last, p * PART + PART - 1) - p * PART;
      out.write(data, (int) from, (int) (to - from + 1));
    }
    return out.toByteArray();
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  private static ObjectManifest manifest(String bucket, String key) {
    return ((DefaultCatenaClient) f.client).calls().getManifest(bucket, key).join();
  }

  @Test
  void smallLastPartIsStoredOnceAsAChunk() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("two")).uploadId();
    byte[] p1 = part(9, 1, PART);
    byte[] p2 = part(9, 2, 1000); // inline-sized
    String e1 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("two").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1))
            .eTag();
    String e2 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("two").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2))
            .eTag();
    s3.completeMultipartUpload(
        b ->
            b.bucket("mpu")
                .key("two")
                .uploadId(id)
                .multipartUpload(
                    m ->
                        m.parts(
                            CompletedPart.builder().partNumber(1).eTag(e1).build(),
                            CompletedPart.builder().partNumber(2).eTag(e2).build())));
    byte[] all = s3.getObjectAsBytes(b -> b.bucket("mpu").key("two")).asByteArray();
    byte[] expected = new byte[p1.length + p2.length];
    System.arraycopy(p1, 0, expected, 0, p1.length);
    System.arraycopy(p2, 0, expected, p1.length, p2.length);
    assertThat(all).isEqualTo(expected);
  }

  @Test
  void abortDiscardsTheUpload() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("gone")).uploadId();
    s3.uploadPart(
        b -> b.bucket("mpu").key("gone").uploadId(id).partNumber(1), RequestBody.fromString("x"));
    s3.abortMultipartUpload(b -> b.bucket("mpu").key("gone").uploadId(id));
    assertThatThrownBy(() -> s3.listParts(b -> b.bucket("mpu").key("gone").uploadId(id)))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(
            f.client
                .listObjects("catena-s3-multipart", ListOptions.prefix("parts/" + id + "/"))
                .objects())
        .isEmpty();
    assertThatThrownBy(
            () ->
                s3.uploadPart(
                    b -> b.bucket("mpu").key("gone").uploadId("not-an-upload").partNumber(1),
                    RequestBody.fromString("x")))
        .isInstanceOf(NoSuchUploadException.class);
    // an upload id is bound to its key
    String other = s3.createMultipartUpload(b -> b.bucket("mpu").key("mine")).uploadId();
    assertThatThrownBy(
            () ->
                s3.uploadPart(
                    b -> b.bucket("mpu").key("not-mine").uploadId(other).partNumber(1),
                    RequestBody.fromString("x")))
        .isInstanceOf(NoSuchUploadException.class);
    s3.abortMultipartUpload(b -> b.bucket("mpu").key("mine").uploadId(other));
  }

  @Test
  void badCompletionsAreRefusedWithS3Codes() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("bad")).uploadId();
    String e1 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("bad").uploadId(id).partNumber(1),
                RequestBody.fromString("small"))
            .eTag();
    String e2 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("bad").uploadId(id).partNumber(2),
                RequestBody.fromString("small"))
            .eTag();
    assertThat(code(() -> complete("bad", id, List.of(part(1, e1), part(2, e2)))))
        .isEqualTo("EntityTooSmall");
    assertThat(
            code(
                () ->
                    complete("bad", id, List.of(part(1, "\"00000000000000000000000000000000\"")))))
        .isEqualTo("InvalidPart");
    assertThat(code(() -> complete("bad", id, List.of(part(3, e1))))).isEqualTo("InvalidPart");
    // nothing was committed
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("mpu").key("bad")))
        .isInstanceOf(S3Exception.class);
    // the upload is still usable: one part completes
    complete("bad", id, List.of(part(1, e1)));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("bad")).asUtf8String())
        .isEqualTo("small");
  }

  @Test
  void partsOutOfOrderAreRefusedAndARepeatedCompletionAnswersAsTheFirst() throws Exception {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("order")).uploadId();
    byte[] one = part(11, 1, PART);
    byte[] two = part(11, 2, 1000);
    String e1 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("order").uploadId(id).partNumber(1),
                RequestBody.fromBytes(one))
            .eTag();
    String e2 =
        s3.uploadPart(
                b -> b.bucket("mpu").key("order").uploadId(id).partNumber(2),
                RequestBody.fromBytes(two))
            .eTag();
    S3Exception refused =
        (S3Exception)
            catchThrowable(() -> complete("order", id, List.of(part(2, e2), part(1, e1))));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidPartOrder");
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("mpu").key("order")))
        .isInstanceOf(S3Exception.class);
    // an upload that does not exist is that first, whatever the order
    assertThatThrownBy(
            () ->
                complete(
                    "order",
                    "00000000-0000-0000-0000-000000000000",
                    List.of(part(2, e2), part(1, e1))))
        .isInstanceOf(NoSuchUploadException.class);
    // the same parts in order complete the upload
    complete("order", id, List.of(part(1, e1), part(2, e2)));
    byte[] stored = s3.getObjectAsBytes(b -> b.bucket("mpu").key("order")).asByteArray();
    byte[] expected = new byte[one.length + two.length];
    System.arraycopy(one, 0, expected, 0, one.length);
    System.arraycopy(two, 0, expected, one.length, two.length);
    assertThat(stored).isEqualTo(expected);
    // a completion repeated after it succeeded (a retry whose reply was lost) answers 200 with the
    // same ETag, as S3 does; a different part list for the finished upload is NoSuchUpload
    String etag = s3.headObject(b -> b.bucket("mpu").key("order")).eTag();
    assertThat(
            s3.completeMultipartUpload(
                    b ->
                        b.bucket("mpu")
                            .key("order")
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(part(1, e1), part(2, e2))))
                .eTag())
        .isEqualTo(etag);
    assertThatThrownBy(() -> complete("order", id, List.of(part(1, e1))))
        .isInstanceOf(NoSuchUploadException.class);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("order")).asByteArray())
        .isEqualTo(expected);
  }

  private static CompletedPart part(int n, String etag) {
    return CompletedPart.builder().partNumber(n).eTag(etag).build();
  }

  private static void complete(String key, String id, List<CompletedPart> parts) {
    s3.completeMultipartUpload(
        b -> b.bucket("mpu").key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
  }

  private static String code(Runnable r) {
    try {
      r.run();
    } catch (S3Exception e) {
      return e.awsErrorDetails().errorCode();
    }
    throw new AssertionError("no error");
  }
}
