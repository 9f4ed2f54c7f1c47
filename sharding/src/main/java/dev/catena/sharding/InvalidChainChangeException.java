package dev.catena.sharding;

/**
 * Thrown by {@link RebalancePlanner#apply} when a {@link ChainChange} does not fit the table it is
 * applied to: the chain does not exist (or already exists, for an add), the node to replace is not
 * a member, the new node already is one, a reorder changes the member set, or a removal would leave
 * a chain empty.
 */
public final class InvalidChainChangeException extends InvalidPlacementException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the change and the reason. */
  public InvalidChainChangeException(String message) {
    super(message);
  }
}
