package dev.catena.tests.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catena check}: a fault-injection run against a fresh local cluster ({@link FaultRunner}).
 * Prints one summary line {@code ops=… ok=… fail=… info=… linearizable=true|false|unknown
 * lost_acked=… faults: kill=… pause=… partition=… restart=… replace=…}; exits 0 only if the history
 * is linearizable, no acknowledged write was lost, the cluster recovered and the nemesis was not
 * starved, 1 otherwise, 2 on bad options.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = "Run a workload under injected faults against a local cluster and check it.")
public final class CheckCommand implements Callable<Integer> {
  @Option(names = "--nodes", defaultValue = "4", description = "node processes (default 4)")
  int nodes;

  @Option(names = "--chain-length", defaultValue = "3", description = "replicas per chain")
  int chainLength;

  @Option(names = "--time", defaultValue = "60s", description = "duration (e.g. 60s, 2m)")
  String time;

  @Option(names = "--clients", defaultValue = "8", description = "concurrent clients")
  int clients;

  @Option(names = "--keys", defaultValue = "16", description = "keyspace size")
  int keys;

  @Option(
      names = "--nemesis",
      defaultValue = "kill,pause,restart",
      description = "faults: kill, pause, restart, partition, zk-expire, or none")
  String nemesis;

  @Option(names = "--out", description = "output directory (default: check-out-<seed>)")
  Path out;

  @Option(names = "--seed", description = "random seed (default: from the clock)")
  Long seed;

  @Option(
      names = "--session-timeout-ms",
      defaultValue = "4000",
      description = "nodes' ZooKeeper session timeout")
  long sessionTimeoutMs;

  @Option(
      names = "--request-timeout",
      defaultValue = "1s",
      description =
          "each client operation's whole budget, retries only within it (default 1s: faults leave"
              + " operations of unknown outcome; e.g. 20s for an availability run)")
  String requestTimeout;

  /** Builds the validated options (throws {@link InvalidCheckOptionsException}). */
  FaultOptions options() {
    long s = seed != null ? seed : System.currentTimeMillis();
    Path dir = out != null ? out : Path.of("check-out-" + s);
    return new FaultOptions(
        nodes,
        chainLength,
        DurationParser.parse(time),
        clients,
        keys,
        NemesisKind.parseList(nemesis),
        dir,
        s,
        Duration.ofMillis(sessionTimeoutMs),
        DurationParser.parse(requestTimeout));
  }

  @Override
  public Integer call() throws Exception {
    FaultOptions o;
    try {
      o = options();
    } catch (InvalidCheckOptionsException e) {
      System.err.println("catena check: " + e.getMessage());
      return 2;
    }
    System.out.println("catena check seed=" + o.seed() + " out=" + o.out());
    CheckSummary summary;
    try {
      summary = new FaultRunner(o, System.out).run();
    } catch (InvalidCheckOptionsException e) {
      System.err.println("catena check: " + e.getMessage());
      return 2;
    }
    System.out.println(summary.line());
    return summary.passed() ? 0 : 1;
  }

  /** Runs the command and returns its exit code (does not exit the JVM). */
  public static int execute(String... args) {
    return new CommandLine(new CheckCommand()).execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
