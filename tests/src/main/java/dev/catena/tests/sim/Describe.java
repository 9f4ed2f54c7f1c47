package dev.catena.tests.sim;

import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.proto.v1.ChainMessage;

/** Compact, deterministic one-line descriptions of messages, events and effects for the trace. */
final class Describe {
  private Describe() {}

  static String message(ChainMessage m) {
    String head = "c" + m.getChainId() + "e" + m.getEpoch() + " ";
    if (m.hasForward()) {
      return head + "fwd " + m.getForward().getSeq();
    } else if (m.hasAck()) {
      return head + "ack " + m.getAck().getSeq();
    } else if (m.hasHello()) {
      return head + "hello " + m.getHello().getNodeId() + " " + m.getHello().getHighestSeq();
    } else if (m.hasReject()) {
      return head + "reject cur=" + m.getReject().getCurrentEpoch();
    } else if (m.hasNeedSnapshot()) {
      return head + "need-snapshot cut=" + m.getNeedSnapshot().getCutSeq();
    }
    return head + "other";
  }

  static String event(Event e) {
    if (e instanceof Event.ConfigChanged c) {
      return "config e" + c.view().epoch() + " " + c.view().active();
    } else if (e instanceof Event.ClientWrite w) {
      return "write call " + w.callId() + " " + w.op().getClientId() + "#" + w.op().getRequestSeq();
    } else if (e instanceof Event.ClientRead r) {
      return "read call " + r.callId() + " " + r.key();
    } else if (e instanceof Event.FromUpstream u) {
      return "from-up " + message(u.message());
    } else if (e instanceof Event.FromDownstream d) {
      return "from-down " + d.fromNode() + " " + message(d.message());
    } else if (e instanceof Event.UpstreamOpened o) {
      return "upstream-opened e" + o.epoch();
    } else if (e instanceof Event.Durable d) {
      return "durable " + d.seq() + (d.history() == 0 ? "" : " h" + d.history());
    } else if (e instanceof Event.FenceChanged f) {
      return "fence " + f.fenced();
    } else if (e instanceof Event.SnapshotGrant g) {
      return "snapshot-grant call " + g.callId() + " for " + g.fromNode() + " e" + g.epoch();
    } else if (e instanceof Event.SnapshotInstalled i) {
      return "snapshot-installed cut " + i.cut() + " dedup " + i.dedup().size();
    } else if (e instanceof Event.SnapshotFailed f) {
      return "snapshot-failed cut " + f.cut() + " " + f.reason();
    }
    return e.getClass().getSimpleName();
  }

  static String effect(Effect e) {
    if (e instanceof Effect.Persist p) {
      return "persist " + p.seq();
    } else if (e instanceof Effect.SendDownstream s) {
      return "send-down " + message(s.message());
    } else if (e instanceof Effect.SendUpstream s) {
      return "send-up " + message(s.message());
    } else if (e instanceof Effect.OpenUpstream o) {
      return "open-upstream " + o.predecessor() + " e" + o.epoch();
    } else if (e instanceof Effect.Committed c) {
      return "committed " + c.seq();
    } else if (e instanceof Effect.ReplyWrite r) {
      return "reply-write call " + r.callId() + " seq " + r.result().getSeq();
    } else if (e instanceof Effect.ServeRead r) {
      return "serve-read call " + r.callId();
    } else if (e instanceof Effect.GrantSnapshot g) {
      return "grant-snapshot call " + g.callId();
    } else if (e instanceof Effect.ReplyError r) {
      return "reply-error call " + r.callId() + " " + r.code();
    } else if (e instanceof Effect.InstallSnapshot i) {
      return "install-snapshot from " + i.from() + " cut " + i.cut() + " e" + i.epoch();
    } else if (e instanceof Effect.CaughtUp c) {
      return "caught-up e" + c.epoch() + " last " + c.last();
    } else if (e instanceof Effect.Anomaly a) {
      return "ANOMALY " + a.description();
    }
    return e.getClass().getSimpleName();
  }
}
