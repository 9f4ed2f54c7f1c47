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

  /**
   * A new key with a random id (20 characters, upper-case letters and digits, starting "CK") and a
   * random 40-character secret, as AWS shapes them.
   */
  public static AccessKey generate(java.security.SecureRandom random, Set<String> buckets) {
    String upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    String any = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    var id = new StringBuilder("CK");
    while (id.length() < 20) {
      id.append(upper.charAt(random.nextInt(upper.length())));
    }
    var secret = new StringBuilder();
    while (secret.length() < 40) {
      secret.append(any.charAt(random.nextInt(any.length())));
    }
    return new AccessKey(id.toString(), secret.toString(), buckets);
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
