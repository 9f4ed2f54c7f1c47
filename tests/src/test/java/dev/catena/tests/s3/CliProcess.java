package dev.catena.tests.s3;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a command-line program to completion with a fixed environment and a time limit. Standard
 * output and error go to files in a work directory (never a pipe that could fill and stall the
 * program); a run that exceeds its limit is killed and reported, a non-zero exit is reported with
 * both outputs. The environment is this JVM's with {@code HOME} moved into the work directory (so
 * no client reads or writes the user's own configuration) plus the given variables, less those
 * named to unset.
 */
final class CliProcess {
  private final Path workDir;
  private final Map<String, String> env;
  private final Set<String> unset;
  private final AtomicInteger runs = new AtomicInteger();

  CliProcess(Path workDir, Map<String, String> env) throws IOException {
    this(workDir, env, Set.of());
  }

  /** As {@link #CliProcess(Path, Map)}, with the variables {@code unset} removed. */
  CliProcess(Path workDir, Map<String, String> env, Set<String> unset) throws IOException {
    this.workDir = Files.createDirectories(workDir);
    this.env = Map.copyOf(env);
    this.unset = Set.copyOf(unset);
    Files.createDirectories(workDir.resolve("home"));
  }

  /** What a finished run printed. */
  record Output(int exitCode, String stdout, String stderr) {}

  /** Runs {@code command}; fails unless it exits 0 within {@code limit}. */
  Output run(Duration limit, List<String> command) throws IOException, InterruptedException {
    Output out = runAllowingFailure(limit, command);
    if (out.exitCode() != 0) {
      throw new AssertionError(
          "`"
              + String.join(" ", command)
              + "` exited "
              + out.exitCode()
              + "\nstdout: "
              + out.stdout()
              + "\nstderr: "
              + out.stderr());
    }
    return out;
  }

  /** Runs {@code command}; fails only if it does not finish within {@code limit}. */
  Output runAllowingFailure(Duration limit, List<String> command)
      throws IOException, InterruptedException {
    int n = runs.incrementAndGet();
    Path stdout = workDir.resolve("run-" + n + ".out");
    Path stderr = workDir.resolve("run-" + n + ".err");
    var pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    pb.environment().put("HOME", workDir.resolve("home").toString());
    pb.environment().keySet().removeAll(unset);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close(); // no input: a client that asks for some sees end of file
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "`" + String.join(" ", command) + "` did not finish within " + limit + "; killed");
    }
    return new Output(
        p.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  /** The first executable named {@code name} on {@code PATH}. */
  static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
