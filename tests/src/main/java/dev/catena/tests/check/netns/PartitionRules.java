package dev.catena.tests.check.netns;

import dev.catena.tests.check.Partition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The iptables rules of a {@link Partition} (pure). Every rule lives inside a node's own namespace:
 * for each address the node must not reach, {@code -A INPUT -s <addr> -j DROP} and {@code -A OUTPUT
 * -d <addr> -j DROP}. Cut-off nodes drop the other side's node addresses, and the bridge address
 * (ZooKeeper, manager, clients) when the partition cuts them from ZooKeeper; nodes on ZooKeeper's
 * side drop the cut-off nodes' addresses, so each link is cut at both ends. Healing flushes INPUT
 * and OUTPUT in every namespace that got rules (the namespaces hold no other rules).
 */
public final class PartitionRules {
  private final String iptables;

  /**
   * @param iptables the iptables program to run inside the namespaces ({@code iptables} or {@code
   *     iptables-legacy})
   */
  public PartitionRules(String iptables) {
    this.iptables = iptables;
  }

  /** For each node that gets rules (sorted by node id), the addresses it drops, sorted. */
  public static Map<String, List<String>> blocked(Partition p, NetnsLayout l) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String node : p.cutOff()) {
      var drop = new TreeSet<String>();
      p.rest().forEach(other -> drop.add(l.nodeAddress(other)));
      if (p.cutFromZooKeeper()) {
        drop.add(l.bridgeAddress());
      }
      if (!drop.isEmpty()) {
        out.put(node, List.copyOf(drop));
      }
    }
    for (String node : p.rest()) {
      var drop = new TreeSet<String>();
      p.cutOff().forEach(other -> drop.add(l.nodeAddress(other)));
      if (!drop.isEmpty()) {
        out.put(node, List.copyOf(drop));
      }
    }
    return out;
  }

  /** The commands that install {@code p}: per node (by id), per address, INPUT then OUTPUT. */
  public List<List<String>> apply(Partition p, NetnsLayout l) {
    List<List<String>> cmds = new ArrayList<>();
    blocked(p, l)
        .forEach(
            (node, addresses) -> {
              String ns = l.namespace(node);
              for (String a : addresses) {
                cmds.add(inNs(ns, "-A", "INPUT", "-s", a, "-j", "DROP"));
                cmds.add(inNs(ns, "-A", "OUTPUT", "-d", a, "-j", "DROP"));
              }
            });
    return cmds;
  }

  /** The commands that remove every rule from namespace {@code ns}. */
  public List<List<String>> heal(String ns) {
    return List.of(inNs(ns, "-F", "INPUT"), inNs(ns, "-F", "OUTPUT"));
  }

  /** Lists the rules of namespace {@code ns} ({@code -S}). */
  public List<String> list(String ns) {
    return inNs(ns, "-S");
  }

  private List<String> inNs(String ns, String... args) {
    var cmd = new ArrayList<String>(List.of(iptables, "-w"));
    cmd.addAll(List.of(args));
    return NetnsCommands.inNamespace(ns, cmd);
  }
}
