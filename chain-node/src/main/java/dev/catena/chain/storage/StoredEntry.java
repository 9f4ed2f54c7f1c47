package dev.catena.chain.storage;

import java.util.Arrays;
import java.util.Objects;

/** One key of a chain with its value or tombstone, as produced by a scan. */
public record StoredEntry(byte[] key, VersionedValue value) {
  public StoredEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredEntry e && Arrays.equals(key, e.key) && value.equals(e.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + value.hashCode();
  }

  @Override
  public String toString() {
    return "StoredEntry[key=" + VersionedValue.Bytes.preview(key) + ", " + value + "]";
  }
}
