package dev.catena.tests.bench.compare;

/**
 * The systems {@code catena bench} compares, side by side in one run. {@link #CHAIN_3} and {@link
 * #ROTATED_3} share one three-node cluster with chain length 3 (three rotated chains): {@code
 * chain-3} uses only keys of one chain (one head, one tail), {@code rotated-3} keys of all three.
 */
public enum SystemConfig {
  CHAIN_1("chain-1", "Catena, one node, chain length 1"),
  CHAIN_3("chain-3", "Catena, one chain of 3 nodes (keys of one chain)"),
  ROTATED_3("rotated-3", "Catena, 3 rotated chains on 3 nodes (keys of all chains)"),
  RATIS_3("ratis-3", "Apache Ratis 3.3.0, 3 peers");

  private final String label;
  private final String description;

  SystemConfig(String label, String description) {
    this.label = label;
    this.description = description;
  }

  public String label() {
    return label;
  }

  public String description() {
    return description;
  }

  /** The configuration named {@code label}. */
  public static SystemConfig byLabel(String label) {
    for (SystemConfig c : values()) {
      if (c.label.equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown configuration '" + label + "'");
  }
}
