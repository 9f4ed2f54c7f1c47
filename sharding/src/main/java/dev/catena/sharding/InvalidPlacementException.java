package dev.catena.sharding;

/**
 * Thrown when an argument to a placement function is invalid: a malformed chain, a chain table with
 * duplicate chain ids, a chain length outside {@code [1, nodes]}, an empty or duplicated list of
 * chain ids, a non-positive shard count, and so on.
 *
 * <p>It is an {@link IllegalArgumentException}, so callers that only expect the JDK type still
 * work; callers that want to distinguish placement errors can catch this type.
 */
public class InvalidPlacementException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the offending value. */
  public InvalidPlacementException(String message) {
    super(message);
  }
}
