package dev.catena.tests.check.netns;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ip} command lines that build and tear down one run's network (pure): a bridge with the
 * run's {@code .1} address in the root namespace, and per node a namespace joined to the bridge by
 * a veth pair, with the node's address and loopback up. Nodes talk to each other over the bridge
 * (layer 2, no forwarding in the root namespace needed).
 */
public final class NetnsCommands {
  private NetnsCommands() {}

  /** Creates the bridge; the first command fails if another run holds the subnet. */
  public static List<List<String>> createBridge(NetnsLayout l) {
    return List.of(
        List.of("ip", "link", "add", l.bridge(), "type", "bridge"),
        List.of("ip", "addr", "add", l.bridgeAddress() + "/24", "dev", l.bridge()),
        List.of("ip", "link", "set", l.bridge(), "up"));
  }

  /** Creates node {@code node}'s namespace, its veth pair, address and routes (the /24). */
  public static List<List<String>> createNode(NetnsLayout l, String node) {
    String ns = l.namespace(node);
    String host = l.hostVeth(node);
    String inner = l.nodeVeth(node);
    return List.of(
        List.of("ip", "netns", "add", ns),
        List.of("ip", "link", "add", host, "type", "veth", "peer", "name", inner),
        List.of("ip", "link", "set", inner, "netns", ns),
        List.of("ip", "link", "set", host, "master", l.bridge()),
        List.of("ip", "link", "set", host, "up"),
        List.of("ip", "-n", ns, "addr", "add", l.nodeAddress(node) + "/24", "dev", inner),
        List.of("ip", "-n", ns, "link", "set", inner, "up"),
        List.of("ip", "-n", ns, "link", "set", "lo", "up"));
  }

  /**
   * Removes node {@code node}'s veth pair (synchronously, both ends) and its namespace. Each
   * command may fail harmlessly if its object was never created.
   */
  public static List<List<String>> removeNode(NetnsLayout l, String node) {
    return List.of(
        List.of("ip", "link", "del", l.hostVeth(node)),
        List.of("ip", "netns", "del", l.namespace(node)));
  }

  /** Removes the bridge. */
  public static List<List<String>> removeBridge(NetnsLayout l) {
    return List.of(List.of("ip", "link", "del", l.bridge()));
  }

  /** {@code command} run inside namespace {@code ns} ({@code ip netns exec} execs it in place). */
  public static List<String> inNamespace(String ns, List<String> command) {
    var cmd = new ArrayList<String>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(command);
    return cmd;
  }
}
