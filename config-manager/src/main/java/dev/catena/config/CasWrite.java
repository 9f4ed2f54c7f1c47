package dev.catena.config;

import java.util.Objects;

/**
 * One compare-and-set write: store {@code value} only if the stored version still equals {@code
 * expectedVersion}, or, when {@code expectedVersion == ABSENT}, only if nothing is stored yet.
 *
 * @param value the value to store, never null
 * @param expectedVersion the version the write is based on, or {@link #ABSENT}
 */
public record CasWrite<T>(T value, int expectedVersion) {
  /** Expected version meaning "must not exist yet": the write creates the value. */
  public static final int ABSENT = -1;

  public CasWrite {
    Objects.requireNonNull(value, "value");
    if (expectedVersion < ABSENT) {
      throw new IllegalArgumentException("invalid expected version: " + expectedVersion);
    }
  }

  /** A write that creates {@code value}; it fails if a value is already stored. */
  public static <T> CasWrite<T> create(T value) {
    return new CasWrite<>(value, ABSENT);
  }

  /** A write that replaces {@code basis} by {@code value} if {@code basis} is still current. */
  public static <T> CasWrite<T> replace(Versioned<T> basis, T value) {
    return new CasWrite<>(value, basis.version());
  }

  /** True if this write creates the value rather than replacing one. */
  public boolean isCreate() {
    return expectedVersion == ABSENT;
  }
}
