package dev.catena.client;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Options of a put: the content type and user metadata stored in the object's manifest. Immutable;
 * {@link #DEFAULT} has content type {@code application/octet-stream} and no user metadata.
 *
 * @param contentType MIME type returned by gets and heads
 * @param userMetadata free-form string pairs returned by gets and heads
 */
public record PutOptions(String contentType, Map<String, String> userMetadata) {
  /** Content type {@code application/octet-stream}, no user metadata. */
  public static final PutOptions DEFAULT = new PutOptions("application/octet-stream", Map.of());

  public PutOptions {
    Objects.requireNonNull(contentType, "contentType");
    userMetadata = Map.copyOf(new TreeMap<>(Objects.requireNonNull(userMetadata, "userMetadata")));
  }

  /** Options with the given content type and no user metadata. */
  public static PutOptions contentType(String contentType) {
    return new PutOptions(contentType, Map.of());
  }

  /** A copy with one more user metadata pair. */
  public PutOptions withMetadata(String name, String value) {
    var m = new TreeMap<>(userMetadata);
    m.put(name, value);
    return new PutOptions(contentType, m);
  }
}
