package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.WriteOp;
import dev.catena.tests.history.OpType;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated client with one outstanding operation at a time. It routes by its own cached (and
 * possibly stale) views — writes to the head, reads to the tail — and refreshes them from the
 * coordinator only after an error or a timeout. A write is retried with the same (clientId,
 * requestSeq) until it is answered or the operation's deadline passes (then it is recorded as INFO
 * and the client continues under a fresh process id). Writes put unique values.
 */
final class SimClient {
  /** One planned operation: a read (value null) or a write of {@code value}. */
  record Planned(String key, String value) {}

  private final class Op {
    final long historyId;
    final String key;
    final int chainId;
    final String value;
    final long requestSeq;
    final long deadline;

    Op(long historyId, String key, int chainId, String value, long requestSeq, long deadline) {
      this.historyId = historyId;
      this.key = key;
      this.chainId = chainId;
      this.value = value;
      this.requestSeq = requestSeq;
      this.deadline = deadline;
    }

    boolean write() {
      return value != null;
    }
  }

  private final String id;
  private final SimWorld world;
  private final List<String> keys;
  private final Map<String, Integer> chainOfKey;
  private final ArrayDeque<Planned> script;
  private final long stopAt;
  private final long opTimeout;
  private final Map<Integer, ChainView> views = new TreeMap<>();
  private int process;
  private long nextRequestSeq = 1;
  private long token;
  private long written;
  private Op current;
  private boolean done;

  /**
   * @param script if non-null, run exactly these operations, else random ones until {@code stopAt}
   */
  SimClient(
      String id,
      SimWorld world,
      List<String> keys,
      Map<String, Integer> chainOfKey,
      List<Planned> script,
      long stopAt,
      long opTimeout) {
    this.id = id;
    this.world = world;
    this.keys = keys;
    this.chainOfKey = chainOfKey;
    this.script = script == null ? null : new ArrayDeque<>(script);
    this.stopAt = stopAt;
    this.opTimeout = opTimeout;
    this.process = world.newProcess();
    views.putAll(world.zk.views());
  }

  String id() {
    return id;
  }

  /** True once the client has no operation outstanding and will start no more. */
  boolean done() {
    return done;
  }

  void start(long delay) {
    world.scheduler.after(delay, "client " + id + " start", this::next);
  }

  private void next() {
    Planned p;
    if (script != null) {
      p = script.poll();
    } else if (world.clock.nanos() < stopAt) {
      String key = keys.get(world.random.nextInt(keys.size()));
      p = new Planned(key, world.random.nextInt(100) < 50 ? id + "-" + ++written : null);
    } else {
      p = null;
    }
    if (p == null) {
      done = true;
      return;
    }
    OpType type = p.value() == null ? OpType.READ : OpType.WRITE;
    long h = world.recorder.invoke(process, p.key(), type, p.value());
    long seq = p.value() == null ? 0 : nextRequestSeq++;
    current =
        new Op(
            h, p.key(), chainOfKey.get(p.key()), p.value(), seq, world.clock.nanos() + opTimeout);
    attempt();
  }

  private void attempt() {
    Op op = current;
    ChainView v = views.get(op.chainId);
    var target = op.write() ? v.head() : v.tail();
    if (target.isEmpty()) {
      retryLater();
      return;
    }
    long t = ++token;
    WriteOp w = op.write() ? writeOp(op) : null;
    String protocolKey = WriteOps.objectKey("b", op.key);
    world.sendToNode(
        target.get(),
        new SimWorld.ClientRequest(this, t, op.chainId, v.epoch(), op.write(), w, protocolKey));
    world.scheduler.after(
        SimWorld.millis(40),
        "timeout " + id + "/" + t,
        () -> {
          if (current == op && token == t) {
            retryLater();
          }
        });
  }

  private WriteOp writeOp(Op op) {
    return WriteOp.newBuilder()
        .setClientId(id)
        .setRequestSeq(op.requestSeq)
        .setAckedBelow(op.requestSeq)
        .setPutManifest(
            ObjectManifest.newBuilder().setBucket("b").setKey(op.key).setVersionId(op.value))
        .build();
  }

  void onReply(long replyToken, SimWorld.ClientReply reply) {
    if (current == null || replyToken != token) {
      return;
    }
    Op op = current;
    if (reply.error() != null) {
      if (reply.error() == ErrorCode.INVALID_ARGUMENT) {
        throw new InvariantViolation(Violation.REPLY, "client " + id + " got " + reply.error());
      }
      retryLater();
      return;
    }
    if (op.write()) {
      world.invariants.onClientAck(id, op.requestSeq, op.chainId, reply.written());
      world.recorder.ok(op.historyId);
    } else {
      world.recorder.ok(op.historyId, reply.value());
    }
    finish();
  }

  private void retryLater() {
    Op op = current;
    token++;
    if (world.clock.nanos() >= op.deadline) {
      world.recorder.info(op.historyId);
      world.count("client-info");
      process = world.newProcess();
      finish();
      return;
    }
    long t = token;
    world.scheduler.after(
        world.between(SimWorld.millis(1), SimWorld.millis(8)),
        "retry " + id + "/" + t,
        () -> {
          if (current == op && token == t) {
            views.putAll(world.zk.views());
            attempt();
          }
        });
  }

  private void finish() {
    current = null;
    world.scheduler.after(
        world.between(SimWorld.micros(100), SimWorld.millis(6)),
        "client " + id + " next",
        this::next);
  }
}
