package dev.catena.tests.linearizability;

import dev.catena.tests.history.Operation;
import java.util.Optional;

/**
 * An acknowledged write that no legal execution can have overwritten, yet the final read of its key
 * does not return it.
 *
 * @param write the acknowledged write
 * @param finalValue what the final read returned (empty = key absent)
 */
public record LostWrite(Operation write, Optional<String> finalValue) {
  @Override
  public String toString() {
    return "lost acknowledged write "
        + write.describe()
        + " (op "
        + write.id()
        + ", process "
        + write.process()
        + "); final read: "
        + finalValue.orElse("absent");
  }
}
