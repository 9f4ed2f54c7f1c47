package dev.catena.tests.check;

/** A {@code catena check} option is out of range or malformed. */
public final class InvalidCheckOptionsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidCheckOptionsException(String message) {
    super(message);
  }
}
