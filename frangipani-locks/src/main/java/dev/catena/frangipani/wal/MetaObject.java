package dev.catena.frangipani.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A metadata object as stored: its version, whether it is a tombstone (a deleted object keeps its
 * version so that an older log record can never bring it back), and its payload. Encoding: magic
 * {@code FMD1}, version (8 bytes), tombstone flag (1 byte), payload.
 */
public record MetaObject(long version, boolean deleted, byte[] payload) {
  private static final byte[] MAGIC = "FMD1".getBytes(StandardCharsets.US_ASCII);

  /** Version of an object that does not exist. */
  public static final long ABSENT = 0;

  public MetaObject {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The stored form. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + 1 + payload.length);
    b.put(MAGIC).putLong(version).put((byte) (deleted ? 1 : 0)).put(payload);
    return b.array();
  }

  /** Decodes a stored object; {@link IllegalArgumentException} if it is not one. */
  public static MetaObject decode(byte[] data) {
    if (data.length < 13 || !Arrays.equals(Arrays.copyOf(data, 4), MAGIC)) {
      throw new IllegalArgumentException("not a metadata object");
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    b.position(4);
    long version = b.getLong();
    boolean deleted = b.get() != 0;
    byte[] payload = new byte[b.remaining()];
    b.get(payload);
    return new MetaObject(version, deleted, payload);
  }

  /** The version of a stored object, {@link #ABSENT} if there is none. */
  public static long versionOf(Optional<byte[]> stored) {
    return stored.map(d -> decode(d).version()).orElse(ABSENT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetaObject m
        && version == m.version
        && deleted == m.deleted
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, deleted, Arrays.hashCode(payload));
  }
}
