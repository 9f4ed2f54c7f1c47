package dev.catena.tests.check;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The faults a {@link FaultRunner} can inject, named as on the command line. */
public enum NemesisKind {
  /** {@code kill -9} of one node process. */
  KILL("kill"),
  /** SIGSTOP of one node process for longer than the session timeout, then SIGCONT. */
  PAUSE("pause"),
  /** Start a killed node again on its old data directory. */
  RESTART("restart"),
  /**
   * Network partitions with iptables inside per-node network namespaces (root only, else skipped
   * with the reason): one node from its peers, one node from everything, or two halves.
   */
  PARTITION("partition"),
  /** Let one node's ZooKeeper session expire (done as a pause past the session timeout). */
  ZK_EXPIRE("zk-expire");

  private final String cliName;

  NemesisKind(String cliName) {
    this.cliName = cliName;
  }

  /**
   * Whether {@code kinds} take nodes down (kill, pause, zk-expire, partition); {@code restart}
   * alone only brings killed nodes back.
   */
  public static boolean injectsFaults(Set<NemesisKind> kinds) {
    return kinds.contains(KILL)
        || kinds.contains(PAUSE)
        || kinds.contains(ZK_EXPIRE)
        || kinds.contains(PARTITION);
  }

  /** The name used on the command line. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a comma-separated list such as {@code kill,pause,restart}; empty or {@code none} = no
   * faults.
   *
   * @throws InvalidCheckOptionsException naming the unknown entry
   */
  public static Set<NemesisKind> parseList(String text) {
    Set<NemesisKind> kinds = EnumSet.noneOf(NemesisKind.class);
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
      return kinds;
    }
    for (String part : trimmed.split(",", -1)) {
      String name = part.trim().toLowerCase(Locale.ROOT);
      NemesisKind found = null;
      for (NemesisKind k : values()) {
        if (k.cliName.equals(name)) {
          found = k;
        }
      }
      if (found == null) {
        throw new InvalidCheckOptionsException(
            "unknown nemesis '" + part.trim() + "' (kill, pause, restart, partition, zk-expire)");
      }
      kinds.add(found);
    }
    return kinds;
  }
}
