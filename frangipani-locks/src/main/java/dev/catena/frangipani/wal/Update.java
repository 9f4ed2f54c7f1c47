package dev.catena.frangipani.wal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One metadata update of a log record: the object {@code key} becomes {@code payload} (or a
 * tombstone if {@code delete}) at {@code version}, made under the lock {@code scope} with fencing
 * token {@code token}. Applied only over an object whose version is lower (Frangipani §4).
 */
public record Update(
    String key, String scope, long token, long version, boolean delete, byte[] payload) {
  public Update {
    Objects.requireNonNull(key);
    Objects.requireNonNull(scope);
    payload = delete ? new byte[0] : payload.clone();
    if (version <= 0) {
      throw new IllegalArgumentException("versions start at 1: " + version);
    }
  }

  /** The object this update leaves behind. */
  public MetaObject object() {
    return new MetaObject(version, delete, payload);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Update u
        && key.equals(u.key)
        && scope.equals(u.scope)
        && token == u.token
        && version == u.version
        && delete == u.delete
        && Arrays.equals(payload, u.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, scope, token, version, delete, Arrays.hashCode(payload));
  }
}
