package dev.catena.tests.bench.compare;

/** A {@code catena bench} option is out of range or malformed; the command exits with code 2. */
public final class InvalidBenchOptionsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidBenchOptionsException(String message) {
    super(message);
  }
}
