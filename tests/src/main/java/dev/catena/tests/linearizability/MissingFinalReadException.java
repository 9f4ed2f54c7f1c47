package dev.catena.tests.linearizability;

/**
 * Thrown by {@link LostWriteDetector} when a key with an acknowledged write has no final read:
 * guessing "absent" would report writes as lost that were never checked.
 */
public final class MissingFinalReadException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for the key. */
  public MissingFinalReadException(String key) {
    super("no final read given for key '" + key + "'");
  }
}
