package dev.catena.tests.check.netns;

/** A node id, run id or subnet that the namespace layout cannot name or address. */
public final class InvalidNetnsNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidNetnsNameException(String message) {
    super(message);
  }
}
