package dev.catena.tests.sim;

import dev.catena.chain.protocol.ChainReplica;
import dev.catena.chain.protocol.ChainView;
import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.WriteOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Deliberately broken variants of the chain protocol, built by wrapping the real {@link
 * ChainReplica}. Each breaks exactly one rule of DESIGN.md §4/§4a and leaves every other effect as
 * the real replica produces it; {@code FaultDetectionTest} shows the simulation reports every one
 * of them by the violation it causes. Each variant counts its deviations from the real protocol
 * ({@link Variant#deviations()}), so a detection can be tied to a run in which the fault happened.
 * Test code only.
 */
final class FaultyReplicas {
  private FaultyReplicas() {}

  /** A faulty replica factory and the number of times its replicas deviated from the real ones. */
  record Variant(ReplicaDriver.Factory factory, AtomicLong deviations) {}

  /** Base: forwards everything to the real replica; subclasses count what they change. */
  private abstract static class Wrapper implements ReplicaDriver {
    final ChainReplica inner;
    final AtomicLong deviations;

    Wrapper(ChainReplica inner, AtomicLong deviations) {
      this.inner = inner;
      this.deviations = deviations;
    }

    @Override
    public ReplicaStatus status() {
      return inner.status();
    }

    @Override
    public ChainView view() {
      return inner.view();
    }
  }

  /** A variant whose replicas {@code wrap} real ones and share one deviation counter. */
  private static Variant variant(BiFunction<ChainReplica, AtomicLong, Wrapper> wrap) {
    AtomicLong deviations = new AtomicLong();
    return new Variant(
        (node, chain, rec, max) -> wrap.apply(new ChainReplica(node, chain, rec, max), deviations),
        deviations);
  }

  /**
   * Invariant 3 broken: every write is reported durable the moment it is persisted, so replicas
   * (the tail included) acknowledge and answer before storage has the write.
   */
  static Variant ackBeforeDurable() {
    return variant(
        (real, deviations) ->
            new Wrapper(real, deviations) {
              @Override
              public List<Effect> handle(Event event) {
                List<Effect> out = new ArrayList<>(inner.handle(event));
                for (int i = 0; i < out.size(); i++) {
                  if (out.get(i) instanceof Effect.Persist p) {
                    deviations.incrementAndGet();
                    out.addAll(inner.handle(new Event.Durable(p.seq(), p.history())));
                  }
                }
                return out;
              }
            });
  }

  /**
   * §4a "Sent lists must survive the handshake" broken: after a successor's Hello the predecessor
   * does not resend the writes of its Sent list the successor lacks (middle failure or reconnect
   * without resend). Only those resent Forwards are dropped: the handshake's SentThrough, a
   * NeedSnapshot, a Reject and everything the replica does on later events are the real ones.
   */
  static Variant noResendAfterHello() {
    return variant(
        (real, deviations) ->
            new Wrapper(real, deviations) {
              @Override
              public List<Effect> handle(Event event) {
                List<Effect> out = inner.handle(event);
                if (!(event instanceof Event.FromDownstream d && d.message().hasHello())) {
                  return out;
                }
                List<Effect> kept = out.stream().filter(e -> !isForward(e)).toList();
                deviations.addAndGet(out.size() - kept.size());
                return kept;
              }
            });
  }

  static boolean isForward(Effect e) {
    return e instanceof Effect.SendDownstream s && s.message().hasForward();
  }

  /** Invariant 7 broken: the replica ignores its lease lapsing and keeps serving. */
  static Variant ignoreFencing() {
    return variant(
        (real, deviations) ->
            new Wrapper(real, deviations) {
              @Override
              public List<Effect> handle(Event event) {
                if (event instanceof Event.FenceChanged f && f.fenced()) {
                  deviations.incrementAndGet();
                  return List.of();
                }
                return inner.handle(event);
              }
            });
  }

  /**
   * Invariant 8 broken: the dedup record is not replicated. Non-head replicas see each forwarded
   * write under a made-up client id, so their exactly-once table never learns the real request;
   * what they store and forward is still the original write. After a failover the new head applies
   * a retry of a committed request a second time.
   */
  static Variant dedupNotReplicated() {
    return variant(
        (real, deviations) ->
            new Wrapper(real, deviations) {
              private final Map<Long, WriteOp> originals = new HashMap<>();

              @Override
              public List<Effect> handle(Event event) {
                Event e = event;
                if (event instanceof Event.FromUpstream u && u.message().hasForward()) {
                  deviations.incrementAndGet();
                  Forward f = u.message().getForward();
                  originals.put(f.getSeq(), f.getOp());
                  WriteOp stripped =
                      f.getOp().toBuilder().setClientId("stripped-" + f.getSeq()).build();
                  e =
                      new Event.FromUpstream(
                          u.message().toBuilder()
                              .setForward(f.toBuilder().setOp(stripped))
                              .build());
                }
                List<Effect> out = new ArrayList<>();
                for (Effect effect : inner.handle(e)) {
                  out.add(restore(effect));
                }
                return out;
              }

              private Effect restore(Effect effect) {
                if (effect instanceof Effect.Persist p && originals.containsKey(p.seq())) {
                  return new Effect.Persist(
                      p.seq(), originals.get(p.seq()), p.result(), p.history(), p.released());
                }
                if (effect instanceof Effect.SendDownstream s && s.message().hasForward()) {
                  ChainMessage m = s.message();
                  WriteOp o = originals.get(m.getForward().getSeq());
                  if (o != null) {
                    return new Effect.SendDownstream(
                        m.toBuilder().setForward(m.getForward().toBuilder().setOp(o)).build());
                  }
                }
                return effect;
              }
            });
  }

  /**
   * §4 "Add a tail" broken: a joiner treats its snapshot as installed the moment it is asked to
   * install one (its node never fetches it), so it reports caught up and is promoted without the
   * data below the cut.
   */
  static Variant reportInstalledAtOnce() {
    return variant(
        (real, deviations) ->
            new Wrapper(real, deviations) {
              @Override
              public List<Effect> handle(Event event) {
                List<Effect> out = new ArrayList<>();
                for (Effect e : inner.handle(event)) {
                  if (e instanceof Effect.InstallSnapshot i) {
                    deviations.incrementAndGet();
                    out.addAll(inner.handle(new Event.SnapshotInstalled(i.cut(), List.of())));
                  } else {
                    out.add(e);
                  }
                }
                return out;
              }
            });
  }
}
