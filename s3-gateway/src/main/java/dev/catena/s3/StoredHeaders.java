package dev.catena.s3;

import java.util.Map;
import java.util.TreeMap;

/**
 * How an object's S3 content headers travel in Catena's manifest (pure). The manifest has a content
 * type and a map of user metadata; the other headers S3 returns as they were given — {@code
 * Cache-Control}, {@code Content-Disposition}, {@code Content-Encoding}, {@code Content-Language},
 * {@code Expires} — are stored in that map under names starting with {@value #PREFIX}. A colon
 * cannot occur in an HTTP header name, so no {@code x-amz-meta-*} name collides with them.
 *
 * @param userMetadata the {@code x-amz-meta-*} pairs, names without the prefix
 * @param cacheControl Cache-Control, or null
 * @param contentDisposition Content-Disposition, or null
 * @param contentEncoding Content-Encoding, or null
 * @param contentLanguage Content-Language, or null
 * @param expires Expires as the client sent it (an HTTP date), or null
 */
record StoredHeaders(
    Map<String, String> userMetadata,
    String cacheControl,
    String contentDisposition,
    String contentEncoding,
    String contentLanguage,
    String expires) {
  /** Prefix of the reserved metadata names. */
  static final String PREFIX = ":s3:";

  StoredHeaders {
    userMetadata = Map.copyOf(userMetadata == null ? Map.of() : userMetadata);
  }

  /**
   * The headers a put, copy or multipart-create request carries (the SDK models name the same
   * fields alike: {@code Metadata}, {@code CacheControl}, …).
   */
  static StoredHeaders fromRequest(software.amazon.awssdk.core.SdkRequest r) {
    @SuppressWarnings("unchecked")
    Map<String, String> user = r.getValueForField("Metadata", Map.class).orElse(Map.of());
    return new StoredHeaders(
        user,
        field(r, "CacheControl"),
        field(r, "ContentDisposition"),
        field(r, "ContentEncoding"),
        field(r, "ContentLanguage"),
        r.getValueForField("Expires", java.time.Instant.class).map(Object::toString).orElse(null));
  }

  private static String field(software.amazon.awssdk.core.SdkRequest r, String name) {
    return r.getValueForField(name, String.class).orElse(null);
  }

  /** The manifest's metadata map: user pairs plus the present headers under reserved names. */
  Map<String, String> toManifestMetadata() {
    var m = new TreeMap<>(userMetadata);
    put(m, "cache-control", cacheControl);
    put(m, "content-disposition", contentDisposition);
    put(m, "content-encoding", contentEncoding);
    put(m, "content-language", contentLanguage);
    put(m, "expires", expires);
    return m;
  }

  /** Splits a manifest's metadata map back into user pairs and headers. */
  static StoredHeaders fromManifestMetadata(Map<String, String> stored) {
    var user = new TreeMap<String, String>();
    stored.forEach(
        (k, v) -> {
          if (!k.startsWith(PREFIX)) {
            user.put(k, v);
          }
        });
    return new StoredHeaders(
        user,
        stored.get(PREFIX + "cache-control"),
        stored.get(PREFIX + "content-disposition"),
        stored.get(PREFIX + "content-encoding"),
        stored.get(PREFIX + "content-language"),
        stored.get(PREFIX + "expires"));
  }

  private static void put(Map<String, String> m, String name, String value) {
    if (value != null) {
      m.put(PREFIX + name, value);
    }
  }
}
