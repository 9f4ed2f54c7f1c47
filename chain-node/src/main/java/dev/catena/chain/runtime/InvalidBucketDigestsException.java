package dev.catena.chain.runtime;

/**
 * Bucket digests received from a peer are malformed: a bucket count outside {@code [1, }{@link
 * BucketDigests#MAX_BUCKETS}{@code ]}, a digest array whose length is not {@code bucket_count ×
 * 16}, or two digest sets of different bucket counts compared.
 */
public final class InvalidBucketDigestsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidBucketDigestsException(String message) {
    super(message);
  }
}
