package dev.catena.tests.check.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this machine can run the partition nemesis: running as root, {@code ip netns} works, and
 * an iptables program works inside a fresh namespace (the probe creates one, lists its rules and
 * deletes it again). {@code iptables} (usually the nf_tables backend) is tried first, then {@code
 * iptables-legacy}.
 *
 * @param supported true if partitions can be injected
 * @param iptables the iptables program that worked (empty if unsupported)
 * @param reason why not (empty if supported)
 */
public record PartitionSupport(boolean supported, String iptables, String reason) {
  /** The start of the message printed when partitions are skipped. */
  public static final String SKIP = "nemesis partition skipped: needs root and network namespaces";

  private static final List<String> IPTABLES = List.of("iptables", "iptables-legacy");
  private static final AtomicInteger PROBES = new AtomicInteger();

  /** The skip line for the log and the report: {@link #SKIP} and the reason. */
  public String skipMessage() {
    return SKIP + " (" + reason + ")";
  }

  static PartitionSupport unsupported(String reason) {
    return new PartitionSupport(false, "", reason);
  }

  /** Probes this machine through {@code runner}. */
  public static PartitionSupport probe(CommandRunner runner) throws InterruptedException {
    CommandRunner.Result uid = runner.run(List.of("id", "-u"));
    if (!uid.ok() || !uid.output().strip().equals("0")) {
      return unsupported("not running as root");
    }
    CommandRunner.Result list = runner.run(List.of("ip", "netns", "list"));
    if (!list.ok()) {
      return unsupported("'ip netns' does not work: " + firstLine(list.output()));
    }
    String ns =
        NetnsLayout.NAMESPACE_PREFIX
            + "probe-"
            + ProcessHandle.current().pid()
            + "-"
            + PROBES.incrementAndGet();
    CommandRunner.Result add = runner.run(List.of("ip", "netns", "add", ns));
    if (!add.ok()) {
      return unsupported("cannot create a network namespace: " + firstLine(add.output()));
    }
    try {
      List<String> tried = new ArrayList<>();
      for (String program : IPTABLES) {
        CommandRunner.Result r =
            runner.run(NetnsCommands.inNamespace(ns, List.of(program, "-w", "-S")));
        if (r.ok()) {
          return new PartitionSupport(true, program, "");
        }
        tried.add(program + ": " + firstLine(r.output()));
      }
      return unsupported("no iptables works in a namespace (install iptables): " + tried);
    } finally {
      CommandRunner.Result del = runner.run(List.of("ip", "netns", "del", ns));
      if (!del.ok()) {
        throw new CommandFailedException(List.of("ip", "netns", "del", ns), del);
      }
    }
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
