package dev.catena.chain.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validation of client input (DESIGN.md §2): S3-style bucket names, keys of at most 1024 UTF-8
 * bytes, inline objects and chunks within their size limits. Returns the reason a request is
 * refused, or empty if it is acceptable.
 */
public final class RequestLimits {
  /** Maximum key length in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final long maxInlineBytes;
  private final long maxChunkBytes;

  /**
   * @param maxInlineBytes largest object stored inline in its manifest
   * @param maxChunkBytes largest chunk
   */
  public RequestLimits(long maxInlineBytes, long maxChunkBytes) {
    this.maxInlineBytes = maxInlineBytes;
    this.maxChunkBytes = maxChunkBytes;
  }

  /** Defaults: 256 KiB inline, 16 MiB chunks. */
  public static RequestLimits defaults() {
    return new RequestLimits(256 << 10, 16 << 20);
  }

  public long maxInlineBytes() {
    return maxInlineBytes;
  }

  public long maxChunkBytes() {
    return maxChunkBytes;
  }

  /** Why a bucket name is invalid, if it is. */
  public static Optional<String> checkBucket(String bucket) {
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      return Optional.of(
          "invalid bucket name '"
              + bucket
              + "': 3-63 characters of lowercase letters, digits, '.' and '-'");
    }
    return Optional.empty();
  }

  /** Why a key is invalid, if it is. */
  public static Optional<String> checkKey(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("empty key");
    }
    int n = key.getBytes(StandardCharsets.UTF_8).length;
    if (n > MAX_KEY_BYTES) {
      return Optional.of("key of " + n + " bytes exceeds " + MAX_KEY_BYTES);
    }
    return Optional.empty();
  }

  /** Maximum chunk id length in UTF-8 bytes (what the chunk store accepts). */
  public static final int MAX_CHUNK_ID_BYTES =
      dev.catena.chain.storage.SegmentChunkStore.MAX_CHUNK_ID_BYTES;

  /** Maximum length of a version id or client id in UTF-8 bytes. */
  public static final int MAX_ID_BYTES = 256;

  /** Why a chunk id is invalid, if it is: empty or longer than {@link #MAX_CHUNK_ID_BYTES}. */
  public static Optional<String> checkChunkId(String chunkId) {
    if (chunkId == null || chunkId.isEmpty()) {
      return Optional.of("missing chunk id");
    }
    int n = chunkId.getBytes(StandardCharsets.UTF_8).length;
    if (n > MAX_CHUNK_ID_BYTES) {
      return Optional.of("chunk id of " + n + " bytes exceeds " + MAX_CHUNK_ID_BYTES);
    }
    return Optional.empty();
  }

  /**
   * Why an identifier chosen by the client (version id, client id) is invalid, if it is: empty or
   * longer than {@link #MAX_ID_BYTES}.
   */
  public static Optional<String> checkId(String what, String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("missing " + what);
    }
    int n = id.getBytes(StandardCharsets.UTF_8).length;
    if (n > MAX_ID_BYTES) {
      return Optional.of(what + " of " + n + " bytes exceeds " + MAX_ID_BYTES);
    }
    return Optional.empty();
  }

  /** Why an inline object is too large, if it is. */
  public Optional<String> checkInline(long bytes) {
    return bytes > maxInlineBytes
        ? Optional.of("inline object of " + bytes + " bytes exceeds " + maxInlineBytes)
        : Optional.empty();
  }

  /** Why a chunk is too large, if it is. */
  public Optional<String> checkChunk(long bytes) {
    return bytes > maxChunkBytes || bytes < 0
        ? Optional.of("chunk of " + bytes + " bytes outside [0, " + maxChunkBytes + "]")
        : Optional.empty();
  }
}
