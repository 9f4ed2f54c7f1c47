package dev.catena.config;

import java.util.Objects;

/**
 * A value read from the store together with the store's version of it (for ZooKeeper, the znode's
 * data version). Pass it back in a {@link CasWrite} to replace the value only if nobody changed it
 * in between.
 *
 * @param value the value, never null
 * @param version the store version, {@code >= 0}
 */
public record Versioned<T>(T value, int version) {
  public Versioned {
    Objects.requireNonNull(value, "value");
    if (version < 0) {
      throw new IllegalArgumentException("negative version: " + version);
    }
  }
}
