package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.proto.v1.WriteResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The invariants of DESIGN.md §4, checked while the simulation runs; each failure throws {@link
 * InvariantViolation}. (In-order apply per replica life is checked by {@link SimStorage},
 * exactly-once per history by {@link SimChainState}.)
 *
 * <ul>
 *   <li>after every step: <b>prefix</b> (invariant 1) between consecutive ACTIVE members of every
 *       view the replicas hold, when both hold that epoch and both histories are complete; <b>one
 *       head and one tail</b> per (chain, epoch) among replicas in that epoch;
 *   <li>after every event at a tail: the epoch in which what it acknowledged commits is recorded;
 *   <li>on every write reply (invariants 3, 4): the write is the request's, some tail committed it,
 *       and it is durable with the same content at every member that has been ACTIVE from the
 *       configuration it committed in to the current one (without joining again); a request is
 *       answered with one result only (invariant 8);
 *   <li>on every read served (invariant 5, §4 "Add a tail"): the server is a tail in its view,
 *       never a SYNCING member or one whose install is incomplete; it holds every write
 *       acknowledged so far (so a member promoted to tail had every committed write before it
 *       served); and the value it returns is the one its history implies;
 *   <li>every 512 steps and at the end: <b>committed never lost</b> — the reply check again for
 *       every acknowledged write.
 * </ul>
 */
final class SimInvariants {
  private final SimWorld world;
  private final Map<String, Long> requestResults = new HashMap<>();
  private final Map<Integer, TreeMap<Long, Long>> acked = new TreeMap<>();
  private final Map<Integer, TreeMap<Long, Long>> commitEpochs = new HashMap<>();

  SimInvariants(SimWorld world) {
    this.world = world;
  }

  /** Number of acknowledged writes seen. */
  int ackedWrites() {
    return acked.values().stream().mapToInt(Map::size).sum();
  }

  /**
   * After a replica handled an event: if it is a tail, everything it has acknowledged is committed
   * in its epoch (recorded for the first epoch it commits in).
   */
  void onCommitted(int chainId, ReplicaDriver replica) {
    ReplicaStatus st = replica.status();
    if (!st.role().isTail() || st.acked() == 0) {
      return;
    }
    TreeMap<Long, Long> m = commitEpochs.computeIfAbsent(chainId, c -> new TreeMap<>());
    if (m.isEmpty() || m.lastKey() < st.acked()) {
      m.put(st.acked(), st.epoch());
    }
  }

  private long commitEpoch(int chainId, long seq) {
    var e = commitEpochs.getOrDefault(chainId, new TreeMap<>()).ceilingEntry(seq);
    return e == null ? -1 : e.getValue();
  }

  void onReplyWrite(SimNode head, int chainId, SimWorld.ClientRequest req, WriteResult result) {
    long seq = result.getSeq();
    SimChainState.Stored s = head.storage().chain(chainId).at(seq);
    if (s == null
        || !s.op().getClientId().equals(req.op().getClientId())
        || s.op().getRequestSeq() != req.op().getRequestSeq()) {
      throw new InvariantViolation(
          Violation.REPLY,
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
    ChainView hv = head.replica(chainId).view();
    if (commitEpoch(chainId, seq) < 0 && hv.tail().isPresent()) {
      // The tail of the head's epoch may hold it durably before it learned that epoch (a joiner
      // acknowledges what is durable): then it committed in that epoch.
      SimChainState.Stored t = world.node(hv.tail().get()).storage().durableChain(chainId).at(seq);
      if (t != null && t.fingerprint() == s.fingerprint()) {
        commitEpochs.computeIfAbsent(chainId, c -> new TreeMap<>()).put(seq, hv.epoch());
      }
    }
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
          Violation.DOUBLE_APPLY,
          "exactly-once: request "
              + k
              + " answered with seq "
              + earlier
              + " and "
              + result.getSeq());
    }
  }

  private void checkDurableAtMembers(int chainId, long seq, long fingerprint, String what) {
    long epoch = commitEpoch(chainId, seq);
    ChainView v = epoch < 0 ? null : world.zk.view(chainId, epoch);
    if (v == null) {
      throw new InvariantViolation(
          Violation.LOST_WRITE,
          "commit: "
              + what
              + " chain "
              + chainId
              + " seq "
              + seq
              + " was never committed at a tail");
    }
    ChainView current = world.zk.views().get(chainId);
    for (String m : v.active()) {
      SimChainState d = world.node(m).storage().durableChain(chainId);
      if (!current.active().contains(m) || d.resetEpoch() >= epoch) {
        // A member may lose a write it never acknowledged (e.g. a head that crashed before its
        // copy was durable); it is then removed. One that joined again since has newer data.
        continue;
      }
      SimChainState.Stored s = d.at(seq);
      if (s == null || s.fingerprint() != fingerprint) {
        throw new InvariantViolation(
            Violation.LOST_WRITE,
            "commit: "
                + what
                + " chain "
                + chainId
                + " seq "
                + seq
                + " is not durable at "
                + m
                + ", ACTIVE since epoch "
                + epoch
                + " in which it committed (durable history holds "
                + (s == null ? "nothing" : "another write")
                + " there)");
      }
    }
  }

  /** A replica in a tail role serves a read of {@code key} returning {@code value}. */
  void onServeRead(SimNode n, int chainId, ReplicaDriver replica, String key, String value) {
    ReplicaStatus st = replica.status();
    SimChainState c = n.storage().chain(chainId);
    ChainView current = world.zk.views().get(chainId);
    if (!st.role().isTail()
        || !c.complete()
        || current.syncing().contains(n.id()) && current.epoch() == st.epoch()) {
      throw new InvariantViolation(
          Violation.STALE_READ,
          "read: "
              + n.id()
              + " ("
              + st.role()
              + " in epoch "
              + st.epoch()
              + ", install "
              + (c.complete() ? "complete" : "incomplete")
              + ") answered a read of chain "
              + chainId);
    }
    TreeMap<Long, Long> a = acked.get(chainId);
    if (a != null && !a.isEmpty()) {
      SimChainState.Stored s = c.at(a.lastKey());
      if (s == null || s.fingerprint() != a.lastEntry().getValue()) {
        throw new InvariantViolation(
            Violation.STALE_READ,
            "read: tail "
                + n.id()
                + " of chain "
                + chainId
                + " epoch "
                + st.epoch()
                + " serves a read without acknowledged write seq "
                + a.lastKey()
                + " (its history ends at "
                + c.last()
                + "): a member promoted to tail lacks a committed write");
      }
    }
    SimChainState.Obj o = c.object(key);
    if ((o == null || o.version() <= c.last()) && !Objects.equals(value, c.ghostRead(key))) {
      throw new InvariantViolation(
          Violation.STALE_READ,
          "read: "
              + n.id()
              + " chain "
              + chainId
              + " serves "
              + key
              + "="
              + value
              + " but its history up to "
              + c.last()
              + " implies "
              + c.ghostRead(key));
    }
  }

  /**
   * Committed never lost: every acknowledged write is durable at every member that has been ACTIVE
   * since it committed, and at some ACTIVE member of the current configuration.
   */
  void checkAcked() {
    for (var c : acked.entrySet()) {
      ChainView current = world.zk.views().get(c.getKey());
      for (var e : c.getValue().entrySet()) {
        checkDurableAtMembers(c.getKey(), e.getKey(), e.getValue(), "acknowledged write");
        boolean held = false;
        for (String m : current.active()) {
          SimChainState.Stored s = world.node(m).storage().durableChain(c.getKey()).at(e.getKey());
          held |= s != null && s.fingerprint() == e.getValue();
        }
        if (!held) {
          throw new InvariantViolation(
              Violation.LOST_WRITE,
              "commit: acknowledged write chain "
                  + c.getKey()
                  + " seq "
                  + e.getKey()
                  + " is durable at no ACTIVE member of epoch "
                  + current.epoch()
                  + " "
                  + current.active());
        }
      }
    }
  }

  void afterStep() {
    for (int chain : world.zk.views().keySet()) {
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
          Violation.ROLES,
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
      SimChainState da = a.storage().chain(chain);
      SimChainState db = b.storage().chain(chain);
      if (!da.complete() || !db.complete()) {
        continue;
      }
      long lb = db.last();
      if (lb > da.last() || da.prefixFingerprint(lb) != db.prefixFingerprint(lb)) {
        throw new InvariantViolation(
            Violation.ORDER,
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
