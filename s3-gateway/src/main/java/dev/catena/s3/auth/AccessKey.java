package dev.catena.s3.auth;

import java.util.Objects;
import java.util.Set;

/**
 * An S3 access key as the gateway uses it: the id clients send, the secret both sides sign with,
 * and the buckets it may use.
 *
 * @param id the access key id (public)
 * @param secret the secret access key (never stored in plain text; see {@link SecretCipher})
 * @param buckets bucket names the key may use; {@link #ALL_BUCKETS} alone means every bucket
 */
public record AccessKey(String id, String secret, Set<String> buckets) {
  /** The bucket entry granting every bucket. */
  public static final String ALL_BUCKETS = "*";

  public AccessKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secret, "secret");
    buckets = Set.copyOf(buckets);
    if (buckets.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one bucket or *");
    }
  }

  /** Whether this key may use {@code bucket}. */
  public boolean allows(String bucket) {
    return buckets.contains(ALL_BUCKETS) || buckets.contains(bucket);
  }

  /** Whether this key may use every bucket. */
  public boolean allBuckets() {
    return buckets.contains(ALL_BUCKETS);
  }

  @Override
  public String toString() {
    return "AccessKey[" + id + ", buckets=" + buckets + "]"; // never the secret
  }
}
