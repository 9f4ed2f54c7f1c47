package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.proto.v1.WriteResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The invariants of DESIGN.md §4, checked while the simulation runs; each failure throws {@link
 * InvariantViolation}. (In-order apply and exactly-once per history are checked by {@link
 * SimStorage} on every persist.)
 *
 * <ul>
 *   <li>after every step: <b>prefix</b> (invariant 1) between consecutive ACTIVE members of every
 *       view the replicas hold, when both hold that epoch; <b>one head and one tail</b> per (chain,
 *       epoch) among replicas in that epoch;
 *   <li>on every write reply (invariants 3, 4): the write is the request's, and it is durable with
 *       the same content at every member of the current configuration; a request is answered with
 *       one result only (invariant 8);
 *   <li>at quiescent points and at the end: <b>committed never lost</b> — every acknowledged write
 *       is durable at every member of the current configuration.
 * </ul>
 */
final class SimInvariants {
  private final SimWorld world;
  private final Map<String, Long> requestResults = new HashMap<>();
  private final Map<Integer, TreeMap<Long, Long>> acked = new TreeMap<>();

  SimInvariants(SimWorld world) {
    this.world = world;
  }

  /** Number of acknowledged writes seen. */
  int ackedWrites() {
    return acked.values().stream().mapToInt(Map::size).sum();
  }

  void onReplyWrite(SimNode head, int chainId, SimWorld.ClientRequest req, WriteResult result) {
    long seq = result.getSeq();
    SimStorage.Stored s = head.storage().chain(chainId).at(seq);
    if (s == null
        || !s.op().getClientId().equals(req.op().getClientId())
        || s.op().getRequestSeq() != req.op().getRequestSeq()) {
      throw new InvariantViolation(
          "reply: "
              + head.id()
              + " answered "
              + req.op().getClientId()
              + "#"
              + req.op().getRequestSeq()
              + " with seq "
              + seq
              + " which holds another write");
    }
    sameResult(req.op().getClientId(), req.op().getRequestSeq(), chainId, result);
    acked.computeIfAbsent(chainId, c -> new TreeMap<>()).put(seq, s.fingerprint());
    checkDurableAtMembers(chainId, seq, s.fingerprint(), "acknowledged write");
  }

  void onClientAck(String client, long requestSeq, int chainId, WriteResult result) {
    sameResult(client, requestSeq, chainId, result);
  }

  private void sameResult(String client, long requestSeq, int chainId, WriteResult result) {
    String k = chainId + "/" + client + "#" + requestSeq;
    Long earlier = requestResults.putIfAbsent(k, result.getSeq());
    if (earlier != null && earlier != result.getSeq()) {
      throw new InvariantViolation(
          "exactly-once: request "
              + k
              + " answered with seq "
              + earlier
              + " and "
              + result.getSeq());
    }
  }

  private void checkDurableAtMembers(int chainId, long seq, long fingerprint, String what) {
    ChainView v = world.coordinator.views().get(chainId);
    for (String m : v.active()) {
      SimStorage.ChainData d = world.node(m).storage().chain(chainId);
      SimStorage.Stored s = d.at(seq);
      if (d.durableSeq() < seq || s == null || s.fingerprint() != fingerprint) {
        throw new InvariantViolation(
            "commit: "
                + what
                + " chain "
                + chainId
                + " seq "
                + seq
                + " is not durable at member "
                + m
                + " of epoch "
                + v.epoch()
                + " (durable "
                + d.durableSeq()
                + ", holds "
                + (s == null ? "nothing" : s.fingerprint() == fingerprint ? "it" : "another write")
                + ")");
      }
    }
  }

  /** Committed never lost: every acknowledged write is durable at every current member. */
  void checkAcked() {
    for (var c : acked.entrySet()) {
      for (var e : c.getValue().entrySet()) {
        checkDurableAtMembers(c.getKey(), e.getKey(), e.getValue(), "acknowledged write");
      }
    }
  }

  void afterStep() {
    for (int chain : world.coordinator.views().keySet()) {
      Map<Long, String> heads = new HashMap<>();
      Map<Long, String> tails = new HashMap<>();
      for (SimNode n : world.nodes.values()) {
        ReplicaDriver r = n.alive() ? n.replica(chain) : null;
        if (r == null) {
          continue;
        }
        ReplicaStatus st = r.status();
        if (st.role().isHead()) {
          unique(heads, st.epoch(), n.id(), "head", chain);
        }
        if (st.role().isTail()) {
          unique(tails, st.epoch(), n.id(), "tail", chain);
        }
        checkPrefix(chain, r.view());
      }
    }
  }

  private static void unique(Map<Long, String> m, long epoch, String node, String what, int c) {
    String other = m.putIfAbsent(epoch, node);
    if (other != null) {
      throw new InvariantViolation(
          "roles: chain "
              + c
              + " epoch "
              + epoch
              + " has two "
              + what
              + "s "
              + other
              + ", "
              + node);
    }
  }

  private void checkPrefix(int chain, ChainView v) {
    List<String> active = v.active();
    for (int i = 0; i + 1 < active.size(); i++) {
      SimNode a = world.node(active.get(i));
      SimNode b = world.node(active.get(i + 1));
      ReplicaDriver ra = a.alive() ? a.replica(chain) : null;
      ReplicaDriver rb = b.alive() ? b.replica(chain) : null;
      if (ra == null
          || rb == null
          || ra.view().epoch() != v.epoch()
          || rb.view().epoch() != v.epoch()) {
        continue;
      }
      SimStorage.ChainData da = a.storage().chain(chain);
      SimStorage.ChainData db = b.storage().chain(chain);
      long lb = db.last();
      if (lb > da.last() || da.prefixFingerprint(lb) != db.prefixFingerprint(lb)) {
        throw new InvariantViolation(
            "prefix: chain "
                + chain
                + " epoch "
                + v.epoch()
                + ": history of "
                + b.id()
                + " (last "
                + lb
                + ") is not a prefix of "
                + a.id()
                + "'s (last "
                + da.last()
                + ")");
      }
    }
  }
}
