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
public record PutOptions(
    String contentType, Map<String, String> userMetadata, java.util.Optional<Fence> fence) {
  /** Content type {@code application/octet-stream}, no user metadata. */
  public static final PutOptions DEFAULT = new PutOptions("application/octet-stream", Map.of());

  public PutOptions {
    Objects.requireNonNull(contentType, "contentType");
    userMetadata = Map.copyOf(new TreeMap<>(Objects.requireNonNull(userMetadata, "userMetadata")));
    Objects.requireNonNull(fence, "fence");
  }

  /** Options without a fence. */
  public PutOptions(String contentType, Map<String, String> userMetadata) {
    this(contentType, userMetadata, java.util.Optional.empty());
  }

  /**
   * A copy whose put is made under a lock: the manifest write (the commit point) carries {@code
   * fence} and is refused with {@link StaleFencingTokenException} if the chain has seen a higher
   * token for its scope.
   */
  public PutOptions withFence(Fence fence) {
    return new PutOptions(contentType, userMetadata, java.util.Optional.of(fence));
  }

  /** Options with the given content type and no user metadata. */
  public static PutOptions contentType(String contentType) {
    return new PutOptions(contentType, Map.of());
  }

  /** A copy with one more user metadata pair. */
  public PutOptions withMetadata(String name, String value) {
    var m = new TreeMap<>(userMetadata);
    m.put(name, value);
    return new PutOptions(contentType, m, fence);
  }
}
