package dev.catena.tests.bench.failover;

/** A benchmark command line that cannot be understood: unknown option, missing or bad value. */
public final class BenchArgsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BenchArgsException(String message) {
    super(message);
  }
}
