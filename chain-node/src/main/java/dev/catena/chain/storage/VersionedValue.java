package dev.catena.chain.storage;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A stored value with the version the chain assigned to it. A tombstone ({@code tombstone == true})
 * records that the key was deleted at {@code version}; its value is empty. Tombstones keep the
 * version of a delete; resync digests treat them as absent. Equality compares the array contents.
 */
public record VersionedValue(byte[] value, long version, boolean tombstone) {
  private static final byte[] EMPTY = new byte[0];

  public VersionedValue {
    Objects.requireNonNull(value, "value");
  }

  /** A tombstone for a key deleted at {@code version}. */
  public static VersionedValue tombstoneAt(long version) {
    return new VersionedValue(EMPTY, version, true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionedValue v
        && version == v.version
        && tombstone == v.tombstone
        && Arrays.equals(value, v.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(value), version, tombstone);
  }

  @Override
  public String toString() {
    return tombstone
        ? "VersionedValue[tombstone, version=" + version + "]"
        : "VersionedValue[version=" + version + ", value=" + Bytes.preview(value) + "]";
  }

  /** Small helpers for array-holding records. */
  static final class Bytes {
    private Bytes() {}

    static String preview(byte[] b) {
      String hex = HexFormat.of().formatHex(b, 0, Math.min(b.length, 16));
      return b.length + "B:" + hex + (b.length > 16 ? "…" : "");
    }
  }
}
