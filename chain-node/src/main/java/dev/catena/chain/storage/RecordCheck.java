package dev.catena.chain.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * One metadata record as the scrubber re-read it: its key within the chain, its stored size (key
 * and value as LevelDB holds them) and either its decoded value or why it does not decode. Exactly
 * one of {@code value} and {@code damage} is present.
 */
public record RecordCheck(
    byte[] key, int storedBytes, Optional<VersionedValue> value, Optional<String> damage) {
  public RecordCheck {
    Objects.requireNonNull(key, "key");
    if (value.isPresent() == damage.isPresent()) {
      throw new IllegalArgumentException("a record is either decoded or damaged");
    }
  }

  static RecordCheck decoded(byte[] key, int storedBytes, VersionedValue value) {
    return new RecordCheck(key, storedBytes, Optional.of(value), Optional.empty());
  }

  static RecordCheck damaged(byte[] key, int storedBytes, String why) {
    return new RecordCheck(key, storedBytes, Optional.empty(), Optional.of(why));
  }
}
