package dev.catena.deploy.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code catena}: the command-line entry point. Server commands run one component (or a whole local
 * cluster); client commands talk to a running cluster through ZooKeeper. Every failure is one line,
 * {@code catena: <what>} on stderr ({@link ErrorReport}), and an exit code per class of failure
 * ({@link ExitCodes}, listed in {@code --help}); a usage error adds the command's synopsis.
 */
@Command(
    name = "catena",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    version = "catena 0.1.0",
    description = "Catena, a chain-replicated object store.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      ExitCodes.OK + ":success",
      ExitCodes.FAILURE + ":failure (server error; conflict such as an existing bucket)",
      ExitCodes.INVALID_INPUT
          + ":invalid input (usage, malformed argument or range, missing local file)",
      ExitCodes.NOT_FOUND + ":not found (no such bucket, key or path)",
      ExitCodes.UNAVAILABLE + ":unavailable (ZooKeeper or the cluster did not answer in time)",
    },
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
          ErrorReport r = ErrorReport.of(ex);
          cmd.getErr().println("catena: " + r.line());
          cmd.getErr().flush();
          return r.exitCode();
        });
    cl.setParameterExceptionHandler(CatenaCli::usageError);
    return cl;
  }

  /** A usage error: the reason, the command's synopsis and where to read more; exit 2. */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    var err = cmd.getErr();
    err.println("catena: " + ErrorReport.oneLine(ex));
    err.print("Usage: " + cmd.getHelp().synopsis(0));
    err.println(
        "Try '" + cmd.getCommandSpec().qualifiedName(" ") + " --help' for more information.");
    err.flush();
    return ExitCodes.INVALID_INPUT;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
