package dev.catena.chain.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An atomic change to one chain's state: data puts, deletes (stored as tombstones carrying a
 * version; or purges, which leave none) and optional new applied/committed sequence numbers ({@code
 * 0} = unchanged). Exactly-once records are ordinary data records of the runtime. All parts become
 * durable together or not at all. The arrays are copied when the mutation is submitted to {@link
 * ObjectStore#apply}; the caller may reuse them afterwards. If one key appears several times, the
 * last occurrence wins (puts are applied before deletes).
 */
public record ChainMutation(
    int chainId, long appliedSeq, long committedSeq, List<Put> puts, List<Delete> deletes) {

  public ChainMutation {
    if (appliedSeq < 0 || committedSeq < 0) {
      throw new IllegalArgumentException("sequence numbers must be >= 0");
    }
    puts = List.copyOf(puts);
    deletes = List.copyOf(deletes);
  }

  /** A mutation that only writes data. */
  public static ChainMutation of(int chainId, List<Put> puts, List<Delete> deletes) {
    return new ChainMutation(chainId, 0, 0, puts, deletes);
  }

  /** Stores {@code value} under {@code key} with {@code version}. */
  public record Put(byte[] key, byte[] value, long version) {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p
          && version == p.version
          && Arrays.equals(key, p.key)
          && Arrays.equals(value, p.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), version);
    }

    @Override
    public String toString() {
      return "Put[key="
          + VersionedValue.Bytes.preview(key)
          + ", value="
          + VersionedValue.Bytes.preview(value)
          + ", version="
          + version
          + "]";
    }
  }

  /**
   * Replaces {@code key} by a tombstone with {@code version}, or, if not {@code tombstone}, removes
   * it without a trace (for keys no reader needs to see deleted, such as exactly-once records: a
   * tombstone would stay forever).
   */
  public record Delete(byte[] key, long version, boolean tombstone) {
    public Delete {
      Objects.requireNonNull(key, "key");
    }

    /** A delete that leaves a tombstone with {@code version}. */
    public Delete(byte[] key, long version) {
      this(key, version, true);
    }

    /** A delete that leaves nothing behind. */
    public static Delete purge(byte[] key) {
      return new Delete(key, 0, false);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Delete d
          && version == d.version
          && tombstone == d.tombstone
          && Arrays.equals(key, d.key);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Long.hashCode(version) + (tombstone ? 1 : 0);
    }

    @Override
    public String toString() {
      return "Delete[key="
          + VersionedValue.Bytes.preview(key)
          + (tombstone ? ", version=" + version : ", purge")
          + "]";
    }
  }
}
