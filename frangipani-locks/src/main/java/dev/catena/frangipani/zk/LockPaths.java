package dev.catena.frangipani.zk;

import dev.catena.frangipani.lock.LockQueue;
import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.lock.LockQueue.Kind;
import dev.catena.proto.ClusterPaths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where the Frangipani lock service of one namespace keeps its state, under {@code
 * /catena/<cluster>/locks/<namespace>} (the namespace is the bucket holding its objects: each
 * namespace has its own lock table, clerks and recovery daemon, so the daemon of one namespace
 * never replays, or clears the marker of, a clerk of another), and how lock node names encode a
 * request.
 *
 * <pre>
 * locks/table/&lt;lock&gt;/[_c_&lt;uuid&gt;-]lock-&lt;S|X|D&gt;-&lt;clerk&gt;-&lt;seq&gt;   ephemeral sequential: one request
 * locks/clerks/&lt;clerk&gt;    persistent: "this clerk's log may hold records not written back"
 * locks/live/&lt;clerk&gt;      ephemeral: the clerk's session is alive
 * locks/recovery         LeaderLatch of the recovery daemons
 * </pre>
 *
 * <p>Lock names and clerk ids are restricted to {@code [A-Za-z0-9_.]} (no {@code -} or {@code /}),
 * so names parse unambiguously.
 */
public final class LockPaths {
  private static final String PREFIX = "lock-";

  private final String base;

  /** Paths of namespace {@code namespace} (a bucket name) of {@code cluster}. */
  public LockPaths(String cluster, String namespace) {
    if (namespace.isEmpty() || namespace.contains("/")) {
      throw new IllegalArgumentException("bad namespace name: " + namespace);
    }
    this.base = new ClusterPaths(cluster).locks() + "/" + namespace;
  }

  /** The parent of every lock's queue. */
  public String table() {
    return base + "/table";
  }

  /** The queue of one lock. */
  public String lock(String lock) {
    return table() + "/" + checkName(lock);
  }

  /** The parent of the "log not recovered" markers. */
  public String clerks() {
    return base + "/clerks";
  }

  /** One clerk's "log not recovered" marker. */
  public String clerk(String clerkId) {
    return clerks() + "/" + checkName(clerkId);
  }

  /** The parent of the liveness nodes. */
  public String live() {
    return base + "/live";
  }

  /** One clerk's liveness node. */
  public String live(String clerkId) {
    return live() + "/" + checkName(clerkId);
  }

  /** The recovery daemons' leader latch. */
  public String recoveryLatch() {
    return base + "/recovery";
  }

  /** The node name prefix a request of {@code kind} by {@code clerk} is created with. */
  static String nodePrefix(Kind kind, String clerk) {
    return PREFIX + letter(kind) + "-" + checkName(clerk) + "-";
  }

  /** Parses a lock node name (with or without Curator's protection prefix); empty if foreign. */
  static Optional<Entry> parse(String name) {
    int at = name.indexOf(PREFIX);
    if (at < 0 || name.length() < at + PREFIX.length() + 14) {
      return Optional.empty();
    }
    String rest = name.substring(at + PREFIX.length());
    Kind kind =
        switch (rest.charAt(0)) {
          case 'S' -> Kind.SHARED;
          case 'X' -> Kind.EXCLUSIVE;
          case 'D' -> Kind.DOWNGRADED;
          default -> null;
        };
    int dash = rest.lastIndexOf('-');
    if (kind == null || rest.charAt(1) != '-' || dash <= 2) {
      return Optional.empty();
    }
    try {
      long seq = Long.parseLong(rest.substring(dash + 1));
      return Optional.of(new Entry(seq, rest.substring(2, dash), kind));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The request queue of a lock from its children's names, in sequence order. */
  static List<Named> queue(List<String> children) {
    List<Named> out = new ArrayList<>();
    for (String child : children) {
      parse(child).ifPresent(e -> out.add(new Named(child, e)));
    }
    out.sort(Comparator.comparingLong(n -> n.entry().seq()));
    return out;
  }

  /** The entries of {@code queue}, for {@link LockQueue}. */
  static List<Entry> entries(List<Named> queue) {
    return queue.stream().map(Named::entry).toList();
  }

  /** A lock node: its name and the request it encodes. */
  record Named(String name, Entry entry) {}

  static String checkName(String name) {
    if (name.isEmpty() || !name.matches("[A-Za-z0-9_.]+") || name.startsWith(".")) {
      throw new IllegalArgumentException("bad lock or clerk name: " + name);
    }
    return name;
  }

  private static char letter(Kind kind) {
    return switch (kind) {
      case SHARED -> 'S';
      case EXCLUSIVE -> 'X';
      case DOWNGRADED -> 'D';
    };
  }
}
