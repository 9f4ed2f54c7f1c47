package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A storage node stopped in the middle of a multipart upload: every later request either succeeds
 * or fails with a 5xx that a retry of the same request fixes; the completed object is byte-exact
 * (SHA-256), so nothing acknowledged before or after the failure is lost.
 */
@Timeout(180)
class S3NodeFailureIT {
  static final int PART = 5 << 20;

  @TempDir Path dir;

  @Test
  void aNodeLostDuringAMultipartUploadLosesNothing() throws Exception {
    try (S3Fixture f = new S3Fixture(dir, Duration.ofSeconds(20));
        S3Client s3 = f.s3()) {
      s3.createBucket(b -> b.bucket("failover"));
      String id = s3.createMultipartUpload(b -> b.bucket("failover").key("obj")).uploadId();
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      var parts = new ArrayList<CompletedPart>();
      for (int n = 1; n <= 6; n++) {
        if (n == 4) {
          f.cluster.stopNode("n2");
        }
        byte[] data = new byte[PART];
        new SplittableRandom(n).nextBytes(data);
        sent.update(data);
        int pn = n;
        String etag =
            retried(
                () ->
                    s3.uploadPart(
                            b -> b.bucket("failover").key("obj").uploadId(id).partNumber(pn),
                            RequestBody.fromBytes(data))
                        .eTag());
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      retried(
          () ->
              s3.completeMultipartUpload(
                  b ->
                      b.bucket("failover")
                          .key("obj")
                          .uploadId(id)
                          .multipartUpload(m -> m.parts(parts))));
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      retried(
          () -> {
            got.reset();
            try (InputStream in = s3.getObject(b -> b.bucket("failover").key("obj"))) {
              byte[] buf = new byte[1 << 16];
              for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                got.update(buf, 0, r);
              }
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return null;
          });
      assertThat(got.digest()).isEqualTo(sent.digest());
    }
  }

  /** Runs {@code op}, retrying (at most 5 times) only a server-side 5xx, as S3 clients do. */
  private static <T> T retried(Supplier<T> op) {
    for (int attempt = 1; ; attempt++) {
      try {
        return op.get();
      } catch (S3Exception e) {
        if (e.statusCode() < 500 || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
