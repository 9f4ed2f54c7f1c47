package dev.catena.tests.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * With every storage node stopped, the gateway answers S3's 503 ServiceUnavailable once the Catena
 * client's retry budget is spent — a bounded wait, never a hang — and serves again when nothing is
 * wrong.
 */
@Timeout(120)
class S3UnavailableIT {
  @TempDir Path dir;

  @Test
  void aClusterWithoutNodesIsA503WithinTheRetryBudget() throws Exception {
    try (S3Fixture f = new S3Fixture(dir, Duration.ofSeconds(3))) {
      try (S3Client s3 =
          S3Client.builder()
              .endpointOverride(f.endpoint())
              .region(software.amazon.awssdk.regions.Region.US_EAST_1)
              .credentialsProvider(
                  () ->
                      software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                          S3Fixture.ADMIN_ID, S3Fixture.ADMIN_SECRET))
              .forcePathStyle(true)
              .overrideConfiguration(
                  o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
              .build()) {
        s3.createBucket(b -> b.bucket("bkt"));
        s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromString("v"));
        for (String id : f.cluster.nodeIds()) {
          f.cluster.stopNode(id);
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("bkt").key("k")))
            .isInstanceOfSatisfying(
                S3Exception.class,
                e -> {
                  assertThat(e.statusCode()).isEqualTo(503);
                  assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                });
        assertThatThrownBy(
                () -> s3.putObject(b -> b.bucket("bkt").key("k2"), RequestBody.fromString("v")))
            .isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      }
    }
  }
}
