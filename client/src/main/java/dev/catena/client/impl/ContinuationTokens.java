package dev.catena.client.impl;

import dev.catena.client.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Listing continuation tokens (pure): an opaque, URL-safe encoding of the last key returned, so the
 * next page starts strictly after it. Format: base64url without padding of {@code "1:" ‖
 * UTF-8(key)}; the version prefix lets the format change later.
 */
public final class ContinuationTokens {
  private static final String PREFIX = "1:";

  private ContinuationTokens() {}

  /** The token meaning "after {@code lastKey}". */
  public static String encode(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key a token names.
   *
   * @throws InvalidRequestException if the token was not made by {@link #encode}
   */
  public static String decode(String token) {
    String s;
    try {
      s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("malformed continuation token", e);
    }
    if (!s.startsWith(PREFIX)) {
      throw new InvalidRequestException("malformed continuation token");
    }
    return s.substring(PREFIX.length());
  }
}
