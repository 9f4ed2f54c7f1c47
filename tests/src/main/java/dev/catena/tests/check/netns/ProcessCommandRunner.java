package dev.catena.tests.check.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as child processes of this JVM, each bounded by a timeout (then killed, exit code
 * {@code -1}). Output goes through a temporary file, so a chatty command cannot block on a full
 * pipe.
 */
public final class ProcessCommandRunner implements CommandRunner {
  private final Duration timeout;

  /** A runner that gives each command at most {@code timeout}. */
  public ProcessCommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Result run(List<String> command) throws InterruptedException {
    Path out;
    try {
      out = Files.createTempFile("catena-cmd", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file", e);
    }
    try {
      Process p;
      try {
        p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
      } catch (IOException e) {
        return new Result(127, "cannot run " + command.get(0) + ": " + e.getMessage());
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(-1, "timed out after " + timeout + ": " + read(out));
      }
      return new Result(p.exitValue(), read(out));
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException e) {
        // a leftover temporary file is harmless; the command's result stands
      }
    }
  }

  private static String read(Path out) {
    try {
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output of a command", e);
    }
  }
}
