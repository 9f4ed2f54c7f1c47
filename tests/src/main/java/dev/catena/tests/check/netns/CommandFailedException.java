package dev.catena.tests.check.netns;

import java.util.List;

/** An external command (namespace, link or firewall set-up) exited with a non-zero code. */
public final class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The command and its outcome. */
  public CommandFailedException(List<String> command, CommandRunner.Result result) {
    super(
        "'"
            + String.join(" ", command)
            + "' exited with "
            + result.exitCode()
            + ": "
            + result.output().strip());
  }

  /** Several failures at once (teardown keeps going and reports them together). */
  public CommandFailedException(String message) {
    super(message);
  }
}
