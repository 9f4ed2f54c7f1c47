package dev.catena.deploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code catena}: the command-line entry point. Server commands run one component (or a whole local
 * cluster); client commands talk to a running cluster through ZooKeeper. Every command exits
 * non-zero with a one-line error on failure.
 */
@Command(
    name = "catena",
    mixinStandardHelpOptions = true,
    version = "catena 0.1.0",
    description = "Catena, a chain-replicated object store.",
    subcommands = {
      LocalCommand.class,
      ZkCommand.class,
      ManagerCommand.class,
      NodeCommand.class,
      ClusterCommand.class,
      ObjectCommands.MakeBucket.class,
      ObjectCommands.RemoveBucket.class,
      ObjectCommands.Put.class,
      ObjectCommands.Get.class,
      ObjectCommands.Head.class,
      ObjectCommands.Remove.class,
      ObjectCommands.List.class,
      FsCommand.class,
      S3Command.class,
    })
public final class CatenaCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with Catena's error handling. */
  public static CommandLine commandLine() {
    var cl = new CommandLine(new CatenaCli());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println("catena: " + oneLine(ex));
          return 1;
        });
    return cl;
  }

  static String oneLine(Throwable t) {
    String m = t.getMessage();
    return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m)
        .lines()
        .findFirst()
        .orElse("");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
