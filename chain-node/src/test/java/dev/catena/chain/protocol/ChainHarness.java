package dev.catena.chain.protocol;

import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Wires replicas of one chain together with in-memory FIFO links, step by step, so tests decide
 * exactly when messages arrive and when storage becomes durable. Storage is modelled per node as
 * the applied writes (by seq) and a durable mark.
 */
final class ChainHarness {
  /** What a node has stored. */
  static final class Node {
    final String id;
    ChainReplica replica;
    final TreeMap<Long, WriteOp> applied = new TreeMap<>();
    long durable;
    long history; // of the last Persist
    long committed;
    String upstream;
    long installing = -1;
    long caughtUp = -1;
    final List<String> anomalies = new ArrayList<>();

    Node(String id, ChainReplica replica) {
      this.id = id;
      this.replica = replica;
    }

    /** The recovered state a restart of this node would read (everything applied is durable). */
    RecoveredState recover() {
      var log = new TreeMap<Long, WriteOp>(applied.tailMap(committed, false));
      return new RecoveredState(
          applied.isEmpty() ? 0 : applied.lastKey(), committed, log, List.of());
    }
  }

  final int chainId;
  final Map<String, Node> nodes = new LinkedHashMap<>();

  /** Links keyed "from->to", FIFO. */
  final Map<String, ArrayDeque<ChainMessage>> links = new HashMap<>();

  final Map<Long, WriteResult> replies = new HashMap<>();
  final Map<Long, Integer> replyCount = new HashMap<>();
  final Map<Long, ErrorCode> errors = new HashMap<>();
  final List<Long> servedReads = new ArrayList<>();
  ChainView view;
  private long nextCall = 1;

  ChainHarness(int chainId, List<String> members) {
    this.chainId = chainId;
    for (String m : members) {
      nodes.put(m, new Node(m, new ChainReplica(m, chainId, RecoveredState.empty(), 1000)));
    }
  }

  Node node(String id) {
    return nodes.get(id);
  }

  /** Installs a view at every listed node (others keep their old view). */
  void configure(ChainView v, String... at) {
    this.view = v;
    for (String id : at.length == 0 ? nodes.keySet().toArray(String[]::new) : at) {
      run(id, new Event.ConfigChanged(v));
    }
  }

  /** Opens every upstream stream that was requested and delivers the Hello. */
  void connectAll() {
    for (Node n : nodes.values()) {
      if (n.upstream != null) {
        run(n.id, new Event.UpstreamOpened(n.replica.view().epoch()));
      }
    }
  }

  long write(String at, String clientId, long requestSeq, String key, String value) {
    return write(at, op(clientId, requestSeq, key, value), view.epoch());
  }

  long write(String at, WriteOp op, long epoch) {
    long call = nextCall++;
    run(at, new Event.ClientWrite(call, op, epoch));
    return call;
  }

  long read(String at, String key) {
    long call = nextCall++;
    run(at, new Event.ClientRead(call, WriteOps.objectKey("b", key), view.epoch()));
    return call;
  }

  static WriteOp op(String clientId, long requestSeq, String key, String value) {
    return WriteOp.newBuilder()
        .setClientId(clientId)
        .setRequestSeq(requestSeq)
        .setPutManifest(
            ObjectManifest.newBuilder()
                .setBucket("b")
                .setKey(key)
                .setVersionId(value)
                .setInlineData(com.google.protobuf.ByteString.copyFromUtf8(value)))
        .build();
  }

  /** Makes everything a node has applied durable. */
  void sync(String id) {
    Node n = nodes.get(id);
    if (!n.applied.isEmpty() && n.applied.lastKey() > n.durable) {
      n.durable = n.applied.lastKey();
      run(id, new Event.Durable(n.durable, n.history));
    }
  }

  void syncAll() {
    nodes.keySet().forEach(this::sync);
  }

  /** Completes a snapshot install started by an InstallSnapshot effect. */
  void finishInstall(String id) {
    Node n = nodes.get(id);
    long cut = n.installing;
    n.installing = -1;
    run(id, new Event.SnapshotInstalled(cut, List.of()));
  }

  /** Adds a node that is not yet in any view (e.g. a joiner), with the given state. */
  Node addNode(String id, RecoveredState state) {
    Node n = new Node(id, new ChainReplica(id, chainId, state, 1000));
    nodes.put(id, n);
    return n;
  }

  /** Delivers one message on link from→to; returns false if the link was empty. */
  boolean deliverOne(String from, String to) {
    ArrayDeque<ChainMessage> q = links.get(from + "->" + to);
    if (q == null || q.isEmpty()) {
      return false;
    }
    ChainMessage m = q.poll();
    Node target = nodes.get(to);
    boolean fromSuccessor = target.replica.view().successor(to).map(from::equals).orElse(false);
    boolean fromPredecessor = from.equals(target.upstream);
    if (fromSuccessor && (m.hasHello() || m.hasAck() || m.hasReject())) {
      run(to, new Event.FromDownstream(from, m));
    } else if (fromPredecessor) {
      run(to, new Event.FromUpstream(m));
    } else if (m.hasHello() || m.hasAck()) {
      run(to, new Event.FromDownstream(from, m));
    } else {
      run(to, new Event.FromUpstream(m));
    }
    return true;
  }

  /** Delivers messages and syncs storage until nothing moves (bounded). */
  void settle() {
    settleHolding(Set.of());
  }

  /** As {@link #settle()}, but messages on the links named "from->to" in {@code held} wait. */
  void settleHolding(Set<String> held) {
    for (int round = 0; round < 10_000; round++) {
      boolean moved = false;
      for (String key : List.copyOf(links.keySet())) {
        if (held.contains(key)) {
          continue;
        }
        String[] p = key.split("->");
        while (deliverOne(p[0], p[1])) {
          moved = true;
        }
      }
      for (Node n : nodes.values()) {
        if (!n.applied.isEmpty() && n.applied.lastKey() > n.durable) {
          sync(n.id);
          moved = true;
        }
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("harness did not settle");
  }

  /** Drops every message queued to or from a node (it crashed or was cut off). */
  void isolate(String id) {
    links
        .entrySet()
        .removeIf(e -> e.getKey().startsWith(id + "->") || e.getKey().endsWith("->" + id));
  }

  int queued(String from, String to) {
    ArrayDeque<ChainMessage> q = links.get(from + "->" + to);
    return q == null ? 0 : q.size();
  }

  void run(String id, Event e) {
    Node n = nodes.get(id);
    for (Effect effect : n.replica.handle(e)) {
      apply(n, effect);
    }
  }

  private void apply(Node n, Effect effect) {
    if (effect instanceof Effect.Persist p) {
      if (n.applied.containsKey(p.seq())) {
        throw new AssertionError(n.id + " applied seq " + p.seq() + " twice");
      }
      long expected = n.applied.isEmpty() ? 1 : n.applied.lastKey() + 1;
      if (p.seq() != expected) {
        throw new AssertionError(n.id + " applied seq " + p.seq() + " expecting " + expected);
      }
      n.applied.put(p.seq(), p.op());
      n.history = p.history();
    } else if (effect instanceof Effect.SendDownstream s) {
      n.replica.view().successor(n.id).ifPresent(to -> enqueue(n.id, to, s.message()));
    } else if (effect instanceof Effect.SendUpstream s) {
      if (n.upstream != null) {
        enqueue(n.id, n.upstream, s.message());
      }
    } else if (effect instanceof Effect.OpenUpstream o) {
      n.upstream = o.predecessor();
    } else if (effect instanceof Effect.Committed c) {
      n.committed = Math.max(n.committed, c.seq());
    } else if (effect instanceof Effect.ReplyWrite r) {
      replies.put(r.callId(), r.result());
      replyCount.merge(r.callId(), 1, Integer::sum);
    } else if (effect instanceof Effect.ServeRead r) {
      servedReads.add(r.callId());
    } else if (effect instanceof Effect.ReplyError r) {
      errors.put(r.callId(), r.code());
    } else if (effect instanceof Effect.Anomaly a) {
      n.anomalies.add(a.description());
    } else if (effect instanceof Effect.InstallSnapshot i) {
      // The install starts from the predecessor's state as of the cut; forwards follow.
      n.applied.clear();
      n.applied.putAll(nodes.get(i.from()).applied.headMap(i.cut(), true));
      n.durable = i.cut();
      n.installing = i.cut();
    } else if (effect instanceof Effect.CaughtUp c) {
      n.caughtUp = c.epoch();
    } else if (effect instanceof Effect.ResetDownstream) {
      n.replica.view().successor(n.id).ifPresent(to -> links.remove(n.id + "->" + to));
    }
  }

  private void enqueue(String from, String to, ChainMessage m) {
    links.computeIfAbsent(from + "->" + to, k -> new ArrayDeque<>()).add(m);
  }
}
