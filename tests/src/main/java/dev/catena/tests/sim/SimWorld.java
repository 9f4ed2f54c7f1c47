package dev.catena.tests.sim;

import dev.catena.config.Coordinator;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import dev.catena.tests.history.HistoryRecorder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Shared context of one simulation run: clock, event queue, the single source of randomness, the
 * trace, nodes, network, coordinator, history recorder and invariant checker. It also models the
 * pieces of the environment between them: client ↔ node messages, and configuration delivery from
 * ZooKeeper ({@link SimZooKeeper}) with a random delay per node.
 */
final class SimWorld {
  /** A client call as it arrives at a node. */
  record ClientRequest(
      SimClient client,
      long token,
      int chainId,
      long epoch,
      boolean write,
      WriteOp op,
      String key) {}

  /** A node's answer to a client call. */
  record ClientReply(
      WriteResult written,
      boolean served,
      String value,
      String servedBy,
      ErrorCode error,
      long currentEpoch) {
    static ClientReply written(WriteResult r) {
      return new ClientReply(r, false, null, null, null, 0);
    }

    static ClientReply read(String value, String node) {
      return new ClientReply(null, true, value, node, null, 0);
    }

    static ClientReply error(ErrorCode code, long epoch) {
      return new ClientReply(null, false, null, null, code, epoch);
    }
  }

  final SimOptions options;
  final SimClock clock = new SimClock();
  final SimTrace trace = new SimTrace(Integer.getInteger("catena.sim.traceLines", 400));
  final SimScheduler scheduler = new SimScheduler(clock, trace);
  final SplittableRandom random;
  final SimNetwork network = new SimNetwork(this);
  final Map<String, SimNode> nodes = new LinkedHashMap<>();
  final HistoryRecorder recorder = new HistoryRecorder(clock::nanos);
  final SimInvariants invariants = new SimInvariants(this);
  final Set<String> cutFromCoordinator = new HashSet<>();
  final SimJoins joins = new SimJoins(this);
  SimZooKeeper zk;
  final SimCoordinatorWorker coordinatorWorker = new SimCoordinatorWorker(this);
  Coordinator coordinator;
  long anomalies;
  final java.util.TreeMap<String, Long> counters = new java.util.TreeMap<>();
  boolean faults = true;
  private int nextProcess;

  SimWorld(SimOptions options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
  }

  boolean faultsActive() {
    return faults;
  }

  SimNode node(String id) {
    SimNode n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return n;
  }

  void count(String what) {
    counters.merge(what, 1L, Long::sum);
  }

  int newProcess() {
    return nextProcess++;
  }

  static long micros(long us) {
    return us * 1_000L;
  }

  static long millis(long ms) {
    return ms * 1_000_000L;
  }

  long between(long loNanos, long hiNanos) {
    return loNanos + random.nextLong(hiNanos - loNanos + 1);
  }

  long netDelay() {
    return between(micros(100), micros(3_000));
  }

  long storageDelay() {
    return between(micros(300), micros(4_000));
  }

  long clientDelay() {
    return between(micros(100), micros(2_000));
  }

  long reconnectDelay() {
    return between(millis(2), millis(20));
  }

  long configDelay() {
    return between(micros(500), millis(60));
  }

  /** One ZooKeeper round trip of the coordinator or a node's agent. */
  long zkDelay() {
    return between(micros(500), millis(4));
  }

  // ---- clients -----------------------------------------------------------------------------

  void sendToNode(String nodeId, ClientRequest req) {
    SimNode n = node(nodeId);
    scheduler.after(
        clientDelay(),
        "request " + req.client().id() + "/" + req.token() + " -> " + nodeId,
        () -> {
          if (n.alive()) {
            n.clientRequest(req);
          }
        });
  }

  void replyToClient(ClientRequest req, ClientReply reply) {
    scheduler.after(
        clientDelay(),
        "reply -> " + req.client().id() + "/" + req.token(),
        () -> req.client().onReply(req.token(), reply));
  }

  // ---- ZooKeeper model ---------------------------------------------------------------------

  /**
   * Delivers a chain configuration to a node after a random delay, if it is up and can reach
   * ZooKeeper (every node gets every chain, as the node agent delivers them).
   */
  void deliverConfig(SimNode n, ChainConfig c) {
    long inc = n.incarnation();
    scheduler.after(
        configDelay(),
        "config c" + c.getChainId() + " e" + c.getEpoch() + " -> " + n.id(),
        () -> {
          if (n.alive() && n.incarnation() == inc && !cutFromCoordinator.contains(n.id())) {
            n.applyConfig(c);
          }
        });
  }

  /** Delivers every current configuration to a node (after a restart or a new session). */
  void deliverAllViews(SimNode n) {
    for (ChainConfig c : zk.configs()) {
      deliverConfig(n, c);
    }
  }
}
