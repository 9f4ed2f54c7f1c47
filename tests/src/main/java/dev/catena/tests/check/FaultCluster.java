package dev.catena.tests.check;

import dev.catena.deploy.local.LocalCluster;
import dev.catena.deploy.local.NodeNetwork;
import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.tests.check.netns.CommandFailedException;
import dev.catena.tests.check.netns.CommandRunner;
import dev.catena.tests.check.netns.NetnsNetwork;
import dev.catena.tests.check.netns.PartitionSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LocalCluster} under fault injection: ZooKeeper and the manager in this JVM, every
 * storage node its own OS process (a child of this JVM). Faults touch only those child processes,
 * by pid: {@code kill -9}, {@code SIGSTOP} / {@code SIGCONT}, and a restart on the node's old data
 * directory or with it wiped. It also reads the published cluster state ({@link ClusterAdmin}).
 *
 * <p>Started with {@link #startInNamespaces}, every node runs in its own network namespace ({@link
 * NetnsNetwork}; ZooKeeper, the manager and the clients on the run's bridge address) and {@link
 * #partition} / {@link #healPartition} cut and restore links with iptables inside the namespaces.
 * {@link #heal} and {@link #close} always heal a partition; {@link #close} also tears the
 * namespaces down.
 *
 * <p>Not thread-safe for concurrent fault calls; the status methods may be used from any thread.
 */
public final class FaultCluster implements AutoCloseable {
  /** Name of the cluster in ZooKeeper. */
  public static final String CLUSTER = "catena";

  private final LocalCluster local;
  private final Path dir;
  private final ClusterAdmin admin;
  private final int chainLength;
  private final Duration sessionTimeout;
  private final Set<String> killed = new LinkedHashSet<>();
  private final Set<String> paused = new LinkedHashSet<>();
  private final Optional<NetnsNetwork> network;

  private FaultCluster(
      LocalCluster local,
      Path dir,
      ClusterAdmin admin,
      int chainLength,
      Duration sessionTimeout,
      Optional<NetnsNetwork> network) {
    this.local = local;
    this.dir = dir;
    this.admin = admin;
    this.chainLength = chainLength;
    this.sessionTimeout = sessionTimeout;
    this.network = network;
  }

  /**
   * Starts a cluster of {@code nodes} node processes under {@code dir} on free localhost ports and
   * waits (≤ 90 s) until it is bootstrapped.
   *
   * @throws ClusterNotReadyException if it does not become ready in time
   */
  public static FaultCluster start(
      Path dir, int nodes, int chainLength, Duration sessionTimeout, SplittableRandom random)
      throws InterruptedException {
    return start(dir, nodes, chainLength, sessionTimeout, random, Optional.empty());
  }

  /**
   * Like {@link #start(Path, int, int, Duration, SplittableRandom)}, with every node in its own
   * network namespace (needs {@code support.supported()}). The namespaces are torn down if the
   * cluster does not start.
   *
   * @throws IllegalArgumentException if {@code support} says partitions are unsupported
   */
  public static FaultCluster startInNamespaces(
      Path dir,
      int nodes,
      int chainLength,
      Duration sessionTimeout,
      SplittableRandom random,
      PartitionSupport support,
      CommandRunner runner)
      throws InterruptedException {
    if (!support.supported()) {
      throw new IllegalArgumentException(support.skipMessage());
    }
    NetnsNetwork net = NetnsNetwork.create(runner, support.iptables(), random.split());
    try {
      FaultCluster cluster =
          start(dir, nodes, chainLength, sessionTimeout, random, Optional.of(net));
      try {
        cluster.checkNodesAreJvms();
      } catch (IllegalStateException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    } catch (RuntimeException | InterruptedException e) {
      net.close();
      throw e;
    }
  }

  private static FaultCluster start(
      Path dir,
      int nodes,
      int chainLength,
      Duration sessionTimeout,
      SplittableRandom random,
      Optional<NetnsNetwork> network)
      throws InterruptedException {
    int spareNodes = 4; // room for nodes added later
    int zkPort = freePort();
    int base = freePortRange(nodes + spareNodes + 1, random);
    var options =
        new LocalCluster.Options(
            dir.toAbsolutePath(),
            nodes,
            chainLength,
            zkPort,
            base,
            CLUSTER,
            sessionTimeout,
            "group");
    LocalCluster local =
        LocalCluster.start(
            options, network.map(n -> (NodeNetwork) n).orElse(NodeNetwork.LOCALHOST));
    ClusterAdmin admin = null;
    try {
      if (!local.awaitReady(Duration.ofSeconds(90))) {
        throw new ClusterNotReadyException("cluster not bootstrapped after 90 s under " + dir);
      }
      admin = ClusterAdmin.connect(local.zookeeper(), CLUSTER);
      var cluster =
          new FaultCluster(
              local, dir.toAbsolutePath(), admin, chainLength, sessionTimeout, network);
      cluster.awaitHealthy(Duration.ofSeconds(60));
      return cluster;
    } catch (RuntimeException | InterruptedException e) {
      if (admin != null) {
        admin.close();
      }
      local.close();
      throw e;
    }
  }

  /** The ZooKeeper connect string (localhost, or the bridge address with namespaces). */
  public String zookeeper() {
    return local.zookeeper();
  }

  /** The configured chain length. */
  public int chainLength() {
    return chainLength;
  }

  /** The ZooKeeper session timeout of the nodes. */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /** The node ids started so far, in id order. */
  public List<String> nodeIds() {
    return new ArrayList<>(local.nodeProcesses().keySet());
  }

  /** The gRPC port of a node. */
  public int port(String nodeId) {
    return local.nodePort(nodeId);
  }

  /** The pid of the node's current process. */
  public long pid(String nodeId) {
    return process(nodeId).pid();
  }

  /** Nodes killed and not restarted. */
  public Set<String> killed() {
    return Set.copyOf(killed);
  }

  /** Nodes stopped with SIGSTOP and not continued. */
  public Set<String> paused() {
    return Set.copyOf(paused);
  }

  /** {@code kill -9} of the node's process; returns once it has exited. */
  public void kill(String nodeId) throws InterruptedException {
    Process p = process(nodeId);
    paused.remove(nodeId); // a stopped process dies of SIGKILL as well
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("node " + nodeId + " (pid " + p.pid() + ") did not die");
    }
    killed.add(nodeId);
  }

  /** Sends SIGSTOP to the node's process. */
  public void pause(String nodeId) throws InterruptedException {
    signal(nodeId, "-STOP");
    paused.add(nodeId);
  }

  /** Sends SIGCONT to the node's process. */
  public void resume(String nodeId) throws InterruptedException {
    signal(nodeId, "-CONT");
    paused.remove(nodeId);
  }

  /** Starts a killed node again on its old data directory. */
  public void restart(String nodeId) {
    if (!killed.contains(nodeId)) {
      throw new IllegalStateException("node " + nodeId + " was not killed");
    }
    local.restartNode(nodeId);
    killed.remove(nodeId);
  }

  /**
   * Starts a killed node again as a wiped replacement: same id and port, everything in its data
   * directory deleted first (its {@code node.log} kept, appended to), so it joins like a new node
   * and receives its chains' data by snapshot.
   */
  public void replace(String nodeId) {
    if (!killed.contains(nodeId)) {
      throw new IllegalStateException("node " + nodeId + " was not killed");
    }
    wipeData(dir.resolve(nodeId));
    local.restartNode(nodeId);
    killed.remove(nodeId);
  }

  private static void wipeData(Path nodeDir) {
    try (var children = Files.list(nodeDir)) {
      for (Path child : children.toList()) {
        if (child.getFileName().toString().equals("node.log")) {
          continue;
        }
        try (var paths = Files.walk(child)) {
          for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot wipe " + nodeDir, e);
    }
  }

  /** Adds one more node process; returns its id. */
  public String addNode() {
    return local.addNode();
  }

  /** Heals a partition, continues every paused node and restarts every killed one. */
  public void heal() throws InterruptedException {
    healPartition();
    for (String id : List.copyOf(paused)) {
      resume(id);
    }
    for (String id : List.copyOf(killed)) {
      restart(id);
    }
  }

  /** The published cluster state. */
  public ClusterAdmin.Status status() {
    return admin.status(CLUSTER);
  }

  /** The chain's members in order, ACTIVE ones first (as published), or empty if unknown. */
  public ClusterAdmin.ChainStatus chain(int chainId) {
    return status().chains().stream()
        .filter(c -> c.chainId() == chainId)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no chain " + chainId));
  }

  /**
   * True if every started node is live, every chain has {@code chainLength} ACTIVE members and no
   * SYNCING one.
   */
  public boolean isHealthy() {
    return isHealthyWithout(Set.of());
  }

  /**
   * Like {@link #isHealthy()}, but the nodes in {@code down} need not be live (chains must still be
   * full and ACTIVE without them).
   */
  public boolean isHealthyWithout(Set<String> down) {
    ClusterAdmin.Status s = status();
    if (s.chains().isEmpty()) {
      return false;
    }
    Set<String> live = new LinkedHashSet<>();
    s.nodes().stream().filter(ClusterAdmin.NodeStatus::live).forEach(n -> live.add(n.nodeId()));
    Set<String> expected = new LinkedHashSet<>(nodeIds());
    expected.removeAll(down);
    if (!live.containsAll(expected)) {
      return false;
    }
    for (ClusterAdmin.ChainStatus c : s.chains()) {
      if (c.members().size() != chainLength || !c.syncing().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if healthy and the roles are balanced: every node is head of at most ⌈chains/nodes⌉ and
   * tail of at most ⌈chains/nodes⌉ chains.
   */
  public boolean isBalanced() {
    if (!isHealthy()) {
      return false;
    }
    ClusterAdmin.Status s = status();
    int chains = s.chains().size();
    int nodes = nodeIds().size();
    int max = (chains + nodes - 1) / nodes;
    return s.nodes().stream().allMatch(n -> n.heads() <= max && n.tails() <= max);
  }

  /**
   * Waits until {@link #isHealthy()}.
   *
   * @throws ClusterNotReadyException with the last status if it does not happen within {@code
   *     timeout}
   */
  public void awaitHealthy(Duration timeout) throws InterruptedException {
    Poll.until(this::isHealthy, timeout, Duration.ofMillis(100), () -> "healthy: " + status());
  }

  /** True if the nodes run in network namespaces, so {@link #partition} works. */
  public boolean partitionable() {
    return network.isPresent();
  }

  /** The nodes' network namespaces, if they run in some. */
  public Optional<NetnsNetwork> network() {
    return network;
  }

  /** The address node {@code nodeId} binds and advertises. */
  public String address(String nodeId) {
    return network.map(n -> n.nodeHost(nodeId)).orElse("127.0.0.1");
  }

  /**
   * Installs {@code p} (iptables DROP rules inside the node namespaces).
   *
   * @throws IllegalStateException if the nodes do not run in namespaces or a partition is in place
   */
  public void partition(Partition p) throws InterruptedException {
    network
        .orElseThrow(() -> new IllegalStateException("nodes do not run in network namespaces"))
        .cut(p);
  }

  /**
   * Removes the partition in place, if any.
   *
   * @return the namespaces whose rules were flushed (empty if there was no partition)
   */
  public List<String> healPartition() throws InterruptedException {
    return network.isPresent() ? network.get().heal() : List.of();
  }

  @Override
  public void close() {
    try {
      closeProcesses();
    } finally {
      network.ifPresent(NetnsNetwork::close);
    }
  }

  /** Every node process must be a JVM (never a launcher standing between us and it). */
  private void checkNodesAreJvms() {
    for (Map.Entry<String, Process> e : local.nodeProcesses().entrySet()) {
      String cmd = e.getValue().info().command().orElse("");
      if (e.getValue().isAlive() && !cmd.endsWith("java")) {
        throw new IllegalStateException(
            "node " + e.getKey() + " pid " + e.getValue().pid() + " runs '" + cmd + "', not java");
      }
    }
  }

  private void closeProcesses() {
    try {
      healPartition();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CommandFailedException e) {
      // the namespaces, and their rules, are deleted after the processes anyway
    }
    for (String id : List.copyOf(paused)) {
      try {
        resume(id);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (IllegalStateException e) {
        // the process is gone already; close() kills the rest
      }
    }
    admin.close();
    local.close();
  }

  private Process process(String nodeId) {
    Map<String, Process> all = local.nodeProcesses();
    Process p = all.get(nodeId);
    if (p == null) {
      throw new IllegalArgumentException("unknown node " + nodeId + "; nodes: " + all.keySet());
    }
    return p;
  }

  /** Signals one of this JVM's own child processes by pid (never anything else). */
  private void signal(String nodeId, String signal) throws InterruptedException {
    Process p = process(nodeId);
    if (!p.isAlive()) {
      throw new IllegalStateException("node " + nodeId + " is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", signal, Long.toString(p.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill " + signal, e);
    }
  }

  static int freePort() {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** A base port b such that b+1 … b+count are free on localhost (≤ 200 tries). */
  static int freePortRange(int count, SplittableRandom random) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + random.nextInt(30_000);
      if (rangeFree(base + 1, count)) {
        return base;
      }
    }
    throw new IllegalStateException("no range of " + count + " free ports found");
  }

  private static boolean rangeFree(int first, int count) {
    for (int p = first; p < first + count; p++) {
      try (var s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
