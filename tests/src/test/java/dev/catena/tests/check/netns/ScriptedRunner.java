package dev.catena.tests.check.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A {@link CommandRunner} that records every command and answers from a script (test code). */
final class ScriptedRunner implements CommandRunner {
  private final Function<String, Result> script;
  final List<String> commands = new ArrayList<>();

  /** {@code script} maps the command line (joined by spaces) to its result. */
  ScriptedRunner(Function<String, Result> script) {
    this.script = script;
  }

  /** Every command succeeds with no output. */
  static ScriptedRunner allOk() {
    return new ScriptedRunner(c -> new Result(0, ""));
  }

  @Override
  public synchronized Result run(List<String> command) {
    String line = String.join(" ", command);
    commands.add(line);
    return script.apply(line);
  }

  synchronized List<String> matching(String fragment) {
    return commands.stream().filter(c -> c.contains(fragment)).toList();
  }
}
