package dev.catena.tests.check.netns;

import java.util.List;

/**
 * Runs one external command (such as {@code ip} or {@code iptables}) to completion and reports its
 * exit code and output. The shell of the namespace code; tests replace it with a script.
 */
public interface CommandRunner {
  /**
   * The outcome of one command.
   *
   * @param exitCode the exit code ({@code 127} if the program could not be started, {@code -1} on
   *     timeout)
   * @param output standard output and standard error, interleaved
   */
  record Result(int exitCode, String output) {
    /** True for exit code 0. */
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command} and waits (bounded) for it to end. */
  Result run(List<String> command) throws InterruptedException;

  /**
   * Runs {@code command}.
   *
   * @throws CommandFailedException if it does not exit with 0
   */
  default Result runOrThrow(List<String> command) throws InterruptedException {
    Result r = run(command);
    if (!r.ok()) {
      throw new CommandFailedException(command, r);
    }
    return r;
  }
}
