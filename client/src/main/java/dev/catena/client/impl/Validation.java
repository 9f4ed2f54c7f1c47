package dev.catena.client.impl;

import dev.catena.client.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Client-side checks of names (DESIGN §2), so that bad input fails with a typed error before any
 * request is sent.
 *
 * <p>Bucket names follow the S3 rules: 3–63 characters of lowercase letters, digits, '.' and '-';
 * starting and ending with a letter or digit; no "..", ".-" or "-."; not shaped like an IPv4
 * address; not starting with {@code xn--} or ending with {@code -s3alias}. Keys are 1–1024 bytes of
 * UTF-8 and must be well-formed UTF-16 (no lone surrogates, which UTF-8 cannot encode).
 */
public final class Validation {
  /** Largest key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Validation() {}

  /** Throws {@link InvalidRequestException} unless {@code bucket} is a valid bucket name. */
  public static void checkBucket(String bucket) {
    if (bucket == null
        || !BUCKET.matcher(bucket).matches()
        || bucket.contains("..")
        || bucket.contains(".-")
        || bucket.contains("-.")
        || IPV4.matcher(bucket).matches()
        || bucket.startsWith("xn--")
        || bucket.endsWith("-s3alias")) {
      throw new InvalidRequestException(
          "invalid bucket name '"
              + bucket
              + "': 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter"
              + " or digit");
    }
  }

  /** Throws {@link InvalidRequestException} unless {@code key} is a valid object key. */
  public static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidRequestException("empty key");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          throw new InvalidRequestException("key contains a lone surrogate at index " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new InvalidRequestException("key contains a lone surrogate at index " + i);
      }
    }
    int n = key.getBytes(StandardCharsets.UTF_8).length;
    if (n > MAX_KEY_BYTES) {
      throw new InvalidRequestException(
          "key of " + n + " UTF-8 bytes exceeds " + MAX_KEY_BYTES + " bytes");
    }
  }

  /** Checks both; the bucket first. */
  public static void checkObject(String bucket, String key) {
    checkBucket(bucket);
    checkKey(key);
  }
}
