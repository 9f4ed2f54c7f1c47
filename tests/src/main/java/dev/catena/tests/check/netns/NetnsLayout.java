package dev.catena.tests.check.netns;

import java.util.regex.Pattern;

/**
 * Names and addresses of one run's network namespaces (pure). Addresses are private: the run owns
 * the /24 {@code 10.231.<subnet>.0/24}; the bridge in the root namespace (ZooKeeper, the manager
 * and the clients) is {@code .1}, node {@code n<i>} is {@code .(10+i)}. The bridge is named after
 * the subnet ({@code cb-<subnet as 2 hex digits>}), so creating it claims the subnet among
 * concurrent runs; namespaces ({@code catena-<runId>-<node>}) and veth ends ({@code
 * cv<runId><node>} on the bridge, {@code ce<runId><node>} inside the namespace) carry the run id.
 *
 * @param subnet third octet of the run's /24, 1..254
 * @param runId six lowercase hex digits: the subnet, then four random ones
 */
public record NetnsLayout(int subnet, String runId) {
  /** The first two octets of every address. */
  public static final String PREFIX = "10.231.";

  /** Highest node index with an address ({@code .(10+i)} stays below 255). */
  public static final int MAX_NODE = 200;

  /** Prefix of every namespace a run creates. */
  public static final String NAMESPACE_PREFIX = "catena-";

  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{6}");
  private static final Pattern NODE = Pattern.compile("n([1-9][0-9]{0,2})");
  private static final int MAX_INTERFACE_NAME = 15;

  public NetnsLayout {
    if (subnet < 1 || subnet > 254) {
      throw new InvalidNetnsNameException("subnet must be 1..254, got " + subnet);
    }
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new InvalidNetnsNameException("run id must be six hex digits, got " + runId);
    }
  }

  /** The layout for {@code subnet} with a run id made of the subnet and {@code salt} (0..65535). */
  public static NetnsLayout of(int subnet, int salt) {
    if (salt < 0 || salt > 0xffff) {
      throw new InvalidNetnsNameException("salt must be 0..65535, got " + salt);
    }
    return new NetnsLayout(subnet, String.format("%02x%04x", subnet & 0xff, salt));
  }

  /** The bridge in the root namespace. */
  public String bridge() {
    return String.format("cb-%02x", subnet);
  }

  /** {@code 10.231.<subnet>.1}: ZooKeeper, the manager and the clients. */
  public String bridgeAddress() {
    return PREFIX + subnet + ".1";
  }

  /** {@code 10.231.<subnet>.0/24}. */
  public String subnetCidr() {
    return PREFIX + subnet + ".0/24";
  }

  /** The prefix shared by this run's namespaces. */
  public String namespacePrefix() {
    return NAMESPACE_PREFIX + runId + "-";
  }

  /** The namespace of node {@code node}. */
  public String namespace(String node) {
    index(node);
    return namespacePrefix() + node;
  }

  /** The node's veth end attached to the bridge. */
  public String hostVeth(String node) {
    return interfaceName("cv", node);
  }

  /** The node's veth end inside its namespace. */
  public String nodeVeth(String node) {
    return interfaceName("ce", node);
  }

  /** The node's address, {@code 10.231.<subnet>.(10+i)} for {@code n<i>}. */
  public String nodeAddress(String node) {
    return PREFIX + subnet + "." + (10 + index(node));
  }

  private String interfaceName(String kind, String node) {
    index(node);
    String name = kind + runId + node;
    if (name.length() > MAX_INTERFACE_NAME) {
      throw new InvalidNetnsNameException("interface name too long: " + name);
    }
    return name;
  }

  /**
   * The index {@code i} of node id {@code n<i>}.
   *
   * @throws InvalidNetnsNameException for any other id or an index above {@link #MAX_NODE}
   */
  public static int index(String node) {
    var m = node == null ? null : NODE.matcher(node);
    if (m == null || !m.matches() || Integer.parseInt(m.group(1)) > MAX_NODE) {
      throw new InvalidNetnsNameException(
          "node id must be n1..n" + MAX_NODE + " to get a namespace, got " + node);
    }
    return Integer.parseInt(m.group(1));
  }
}
