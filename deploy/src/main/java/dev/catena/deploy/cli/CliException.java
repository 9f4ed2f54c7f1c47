package dev.catena.deploy.cli;

/**
 * A failure the CLI reports as it is: {@link #getMessage()} is the whole line printed after {@code
 * catena: }, {@link #exitCode()} the process exit code (one of {@link ExitCodes}).
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** Bad input: arguments, options or local files. */
  static CliException invalid(String message) {
    return new CliException(ExitCodes.INVALID_INPUT, message);
  }

  int exitCode() {
    return exitCode;
  }
}
