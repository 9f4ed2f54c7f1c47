package dev.catena.s3;

import dev.catena.client.BucketExistsException;
import dev.catena.client.BucketNotEmptyException;
import dev.catena.client.CatenaException;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectTooLargeException;
import java.util.concurrent.CompletionException;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Maps Catena's typed client errors onto the S3 errors s3proxy renders as XML documents: {@code
 * NoSuchBucket}, {@code NoSuchKey}, {@code BucketAlreadyOwnedByYou}, {@code BucketNotEmpty}, {@code
 * InvalidArgument}, {@code EntityTooLarge}, and {@code ServiceUnavailable} (503) when the cluster
 * cannot answer within the client's retry budget, so a client backs off and retries instead of
 * hanging. Any other Catena failure is an {@code InternalError} (500).
 */
final class S3Errors {
  private S3Errors() {}

  /** The S3 error for {@code failure} on {@code bucket/key} ({@code key} may be null). */
  static RuntimeException translate(Throwable failure, String bucket, String key) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof AwsServiceException ase) {
        return ase; // e.g. BadDigest raised while the client read the body
      }
    }
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (!(t instanceof CatenaException e)) {
      return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
    String msg = e.getMessage();
    if (e instanceof NoSuchBucketException) {
      return S3Exceptions.noSuchBucket(bucket, msg, e);
    }
    if (e instanceof NoSuchKeyException) {
      return S3Exceptions.noSuchKey(bucket, key, msg, e);
    }
    if (e instanceof BucketExistsException) {
      return S3Exceptions.bucketAlreadyOwnedByYou(bucket);
    }
    if (e instanceof BucketNotEmptyException) {
      return S3Exceptions.bucketNotEmpty(bucket);
    }
    if (e instanceof InvalidRequestException) {
      return error(400, "InvalidArgument", msg, e);
    }
    if (e instanceof ObjectTooLargeException) {
      return error(400, "EntityTooLarge", msg, e);
    }
    if (e instanceof CatenaUnavailableException) {
      return error(503, "ServiceUnavailable", "Catena is unavailable: " + msg, e);
    }
    return error(500, "InternalError", msg, e);
  }

  /** 404 NoSuchUpload: the upload id is unknown, completed or aborted. */
  static RuntimeException noSuchUpload(String uploadId) {
    String msg = "The specified multipart upload does not exist: " + uploadId;
    return NoSuchUploadException.builder()
        .message(msg)
        .statusCode(404)
        .awsErrorDetails(details(404, "NoSuchUpload", msg))
        .build();
  }

  /** 403 AccessDenied: the access key may not use this bucket. */
  static RuntimeException accessDenied(String bucket) {
    return error(403, "AccessDenied", "Access Denied to bucket " + bucket, null);
  }

  /** 400 BadDigest: the body does not match its Content-MD5. */
  static RuntimeException badDigest() {
    return error(
        400, "BadDigest", "The Content-MD5 you specified did not match what we received.", null);
  }

  /** An S3 error with this status, code and message. */
  static S3Exception error(int status, String code, String message, Throwable cause) {
    return (S3Exception)
        S3Exception.builder()
            .message(code + ": " + message)
            .cause(cause)
            .statusCode(status)
            .awsErrorDetails(details(status, code, message))
            .build();
  }

  private static AwsErrorDetails details(int status, String code, String message) {
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message == null ? "" : message)
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build())
        .build();
  }
}
