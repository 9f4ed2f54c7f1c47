package dev.catena.tests.check.netns;

import dev.catena.deploy.local.NodeNetwork;
import dev.catena.tests.check.Partition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One run's network of namespaces (root only, see {@link PartitionSupport}): a bridge in the root
 * namespace carrying ZooKeeper, the manager and the clients, and every storage node in its own
 * namespace ({@link NetnsLayout} names and addresses, {@link NetnsCommands} builds them). Nodes are
 * launched with {@code ip netns exec}, which replaces itself by the node's JVM, so the launched
 * process is the JVM. {@link #cut} installs a {@link Partition} with {@link PartitionRules}; {@link
 * #heal} flushes it.
 *
 * <p>Teardown ({@link #close}) heals, then deletes every veth pair, namespace and the bridge the
 * run created; it also runs from a shutdown hook if the JVM exits without {@link #close}. Only
 * objects carrying this run's names are touched. Thread-safe.
 */
public final class NetnsNetwork implements NodeNetwork, AutoCloseable {
  private static final int CLAIM_ATTEMPTS = 64;

  private final CommandRunner runner;
  private final NetnsLayout layout;
  private final PartitionRules rules;
  private final Set<String> nodes = new LinkedHashSet<>();
  private final Set<String> withRules = new LinkedHashSet<>();
  private final Thread hook;
  private boolean closed;

  private NetnsNetwork(CommandRunner runner, NetnsLayout layout, String iptables) {
    this.runner = runner;
    this.layout = layout;
    this.rules = new PartitionRules(iptables);
    this.hook = new Thread(this::teardownFromHook, "catena-netns-teardown-" + layout.runId());
  }

  /**
   * Claims a free {@code 10.231.x.0/24} (one not on any interface and whose bridge name no other
   * run holds) by creating its bridge, and registers the teardown hook.
   *
   * @param iptables the iptables program that works in namespaces ({@link PartitionSupport})
   * @param random picks the subnet and the run id's salt
   * @throws CommandFailedException if no subnet could be claimed or the bridge not set up
   */
  public static NetnsNetwork create(CommandRunner runner, String iptables, SplittableRandom random)
      throws InterruptedException {
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      int subnet = 1 + random.nextInt(254);
      NetnsLayout layout = NetnsLayout.of(subnet, random.nextInt(0x10000));
      String addresses = runner.runOrThrow(List.of("ip", "-4", "-o", "addr", "show")).output();
      if (addresses.contains(" " + NetnsLayout.PREFIX + subnet + ".")) {
        continue;
      }
      List<List<String>> bridge = NetnsCommands.createBridge(layout);
      if (!runner.run(bridge.get(0)).ok()) {
        continue; // another run (or a leftover) holds this subnet's bridge
      }
      var net = new NetnsNetwork(runner, layout, iptables);
      Runtime.getRuntime().addShutdownHook(net.hook);
      try {
        for (List<String> cmd : bridge.subList(1, bridge.size())) {
          runner.runOrThrow(cmd);
        }
      } catch (CommandFailedException e) {
        net.close();
        throw e;
      }
      return net;
    }
    throw new CommandFailedException(
        "no free " + NetnsLayout.PREFIX + "x.0/24 found in " + CLAIM_ATTEMPTS + " attempts");
  }

  /** Names and addresses of this run. */
  public NetnsLayout layout() {
    return layout;
  }

  /** The nodes whose namespaces exist, in creation order. */
  public synchronized List<String> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public String zookeeperHost() {
    return layout.bridgeAddress();
  }

  @Override
  public String nodeHost(String nodeId) {
    return layout.nodeAddress(nodeId);
  }

  /**
   * Creates the node's namespace on first use and returns {@code ip netns exec <ns> command…}.
   *
   * @throws CommandFailedException if the namespace cannot be set up
   */
  @Override
  public synchronized List<String> launch(String nodeId, List<String> command) {
    if (closed) {
      throw new IllegalStateException("network " + layout.runId() + " is torn down");
    }
    if (!nodes.contains(nodeId)) {
      nodes.add(nodeId); // before the commands: teardown removes whatever part was created
      try {
        for (List<String> cmd : NetnsCommands.createNode(layout, nodeId)) {
          runner.runOrThrow(cmd);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating the namespace of " + nodeId, e);
      }
    }
    return NetnsCommands.inNamespace(layout.namespace(nodeId), command);
  }

  /**
   * Installs {@code p}; on a failure heals what was installed and rethrows.
   *
   * @throws IllegalStateException if a partition is already in place or a node has no namespace
   */
  public synchronized void cut(Partition p) throws InterruptedException {
    if (!withRules.isEmpty()) {
      throw new IllegalStateException("a partition is already in place: " + withRules);
    }
    for (String node : PartitionRules.blocked(p, layout).keySet()) {
      if (!nodes.contains(node)) {
        throw new IllegalStateException("node " + node + " has no namespace");
      }
    }
    try {
      PartitionRules.blocked(p, layout).keySet().forEach(n -> withRules.add(layout.namespace(n)));
      for (List<String> cmd : rules.apply(p, layout)) {
        runner.runOrThrow(cmd);
      }
    } catch (CommandFailedException e) {
      heal();
      throw e;
    }
  }

  /** True while a partition is in place. */
  public synchronized boolean partitioned() {
    return !withRules.isEmpty();
  }

  /**
   * Flushes the rules of every namespace that got some.
   *
   * @return the namespaces healed (empty if there was no partition)
   * @throws CommandFailedException if a flush failed (the others are still attempted)
   */
  public synchronized List<String> heal() throws InterruptedException {
    List<String> healed = List.copyOf(withRules);
    List<String> failures = new ArrayList<>();
    for (String ns : healed) {
      for (List<String> cmd : rules.heal(ns)) {
        CommandRunner.Result r = runner.run(cmd);
        if (!r.ok()) {
          failures.add(String.join(" ", cmd) + ": " + r.output().strip());
        }
      }
    }
    withRules.clear();
    if (!failures.isEmpty()) {
      throw new CommandFailedException("healing failed: " + failures);
    }
    return healed;
  }

  /** The iptables rules currently in node {@code node}'s namespace ({@code -S} output). */
  public String rulesOf(String node) throws InterruptedException {
    return runner.runOrThrow(rules.list(layout.namespace(node))).output();
  }

  /**
   * Lines of {@code ip netns list} and {@code ip -o link show} that name one of this run's
   * namespaces, veth ends or its bridge; empty after a complete teardown.
   */
  public List<String> leftovers() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (String line : runner.runOrThrow(List.of("ip", "netns", "list")).output().split("\n")) {
      if (line.startsWith(layout.namespacePrefix())) {
        out.add(line.strip());
      }
    }
    for (String line :
        runner.runOrThrow(List.of("ip", "-o", "link", "show")).output().split("\n")) {
      if (line.contains(layout.runId()) || line.contains(" " + layout.bridge() + ":")) {
        out.add(line.strip());
      }
    }
    return out;
  }

  /**
   * Heals, then removes every veth pair, namespace and the bridge of this run (idempotent).
   *
   * @throws CommandFailedException naming whatever could not be removed (after trying everything)
   */
  @Override
  public void close() {
    try {
      List<String> failures = teardown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (or ran) the same idempotent teardown
      }
      if (!failures.isEmpty()) {
        throw new CommandFailedException("teardown of " + layout.runId() + " failed: " + failures);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while tearing down " + layout.runId(), e);
    }
  }

  private void teardownFromHook() {
    try {
      teardown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized List<String> teardown() throws InterruptedException {
    if (closed) {
      return List.of();
    }
    closed = true;
    List<String> failures = new ArrayList<>();
    try {
      heal();
    } catch (CommandFailedException e) {
      failures.add(e.getMessage()); // the namespaces go away below, rules with them
    }
    List<List<String>> cmds = new ArrayList<>();
    nodes.forEach(n -> cmds.addAll(NetnsCommands.removeNode(layout, n)));
    cmds.addAll(NetnsCommands.removeBridge(layout));
    for (List<String> cmd : cmds) {
      CommandRunner.Result r = runner.run(cmd);
      if (!r.ok() && !alreadyGone(r.output())) {
        failures.add(String.join(" ", cmd) + ": " + r.output().strip());
      }
    }
    return failures;
  }

  /** The object to remove never existed (its creation failed) or is gone already. */
  private static boolean alreadyGone(String output) {
    return output.contains("Cannot find device") || output.contains("No such file or directory");
  }
}
