package dev.catena.tests.sim;

import dev.catena.proto.v1.ChainMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Simulated chain streams between neighbours (DESIGN.md §8: one bidirectional stream per chain,
 * opened by the successor). Each direction of a stream is FIFO: a message is never delivered before
 * one sent earlier in the same direction. A dropped message <i>breaks</i> the stream (§4a "broken
 * streams"): it and everything sent after it on that stream are lost, the predecessor is told
 * {@code DownstreamLost} and the successor reconnects with a fresh stream and a new Hello.
 * Duplicates therefore appear only across reconnects (resends after a handshake). Link cuts between
 * node pairs break the streams between them and refuse new ones until healed.
 */
public final class SimNetwork {
  /** One stream of one chain from {@code succ} (opener) to {@code pred}. */
  static final class Stream {
    final long id;
    final int chainId;
    final SimNode succ;
    final SimNode pred;
    final long epoch;
    boolean opened;
    boolean broken;
    long lastDown;
    long lastUp;

    Stream(long id, int chainId, SimNode succ, SimNode pred, long epoch) {
      this.id = id;
      this.chainId = chainId;
      this.succ = succ;
      this.pred = pred;
      this.epoch = epoch;
    }

    @Override
    public String toString() {
      return "s" + id + "[" + chainId + ":" + succ.id() + "->" + pred.id() + "@" + epoch + "]";
    }
  }

  private final SimWorld world;
  private final Set<String> cuts = new HashSet<>();
  private final TreeMap<Long, Stream> live = new TreeMap<>();
  private long nextStream = 1;

  SimNetwork(SimWorld world) {
    this.world = world;
  }

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  /** True if the link between two nodes is cut. */
  public boolean isCut(String a, String b) {
    return cuts.contains(pair(a, b));
  }

  /** Cuts the link between two nodes, breaking every stream between them. */
  void cut(String a, String b) {
    cuts.add(pair(a, b));
    world.joins.cut(a, b);
    for (Stream s : List.copyOf(live.values())) {
      if (pair(s.succ.id(), s.pred.id()).equals(pair(a, b))) {
        breakStream(s, "cut");
      }
    }
  }

  /** Heals a cut link. */
  void heal(String a, String b) {
    cuts.remove(pair(a, b));
  }

  /** Heals every cut. */
  void healAll() {
    cuts.clear();
  }

  private boolean reachable(SimNode a, SimNode b) {
    return a.alive() && b.alive() && !isCut(a.id(), b.id());
  }

  /** Opens a stream from successor {@code succ} to {@code pred}; reports opened or failed. */
  Stream open(SimNode succ, int chainId, SimNode pred, long epoch) {
    Stream s = new Stream(nextStream++, chainId, succ, pred, epoch);
    live.put(s.id, s);
    long inc = succ.incarnation();
    world.scheduler.after(
        world.netDelay(),
        "open " + s,
        () -> {
          if (!s.broken && reachable(s.succ, s.pred)) {
            s.opened = true;
            if (succ.incarnation() == inc) {
              succ.upstreamOpened(s);
            }
          } else {
            breakStream(s, "connect failed");
          }
        });
    return s;
  }

  /** Sends {@code m} on {@code s}; {@code down} = predecessor to successor. */
  void send(Stream s, boolean down, ChainMessage m) {
    if (s.broken || !s.opened) {
      world.trace.add("  lost-on-broken " + s);
      return;
    }
    if (!reachable(s.succ, s.pred)) {
      breakStream(s, "unreachable");
      return;
    }
    if (world.faultsActive() && world.random.nextDouble() < world.options.dropProbability()) {
      world.trace.add("  drop " + s + (down ? " down" : " up"));
      breakStream(s, "drop");
      return;
    }
    long now = world.clock.nanos();
    long at = Math.max(now + world.netDelay(), down ? s.lastDown : s.lastUp);
    if (down) {
      s.lastDown = at;
    } else {
      s.lastUp = at;
    }
    SimNode to = down ? s.succ : s.pred;
    long inc = to.incarnation();
    world.scheduler.after(
        at - now,
        "deliver " + s + (down ? " down " : " up ") + Describe.message(m),
        () -> {
          if (s.broken || to.incarnation() != inc) {
            world.trace.add("  lost-in-flight");
            return;
          }
          if (down) {
            s.succ.fromUpstream(s, m);
          } else {
            s.pred.fromDownstream(s, m);
          }
        });
  }

  /** Closes a stream deliberately (the opener replaced it): the predecessor sees it close. */
  void close(Stream s) {
    breakStream(s, "closed");
  }

  /** Breaks a stream: both ends learn it after a detection delay. */
  void breakStream(Stream s, String why) {
    if (s.broken) {
      return;
    }
    s.broken = true;
    live.remove(s.id);
    world.trace.add("  break " + s + " " + why);
    world.count("stream-break " + why.split(" ")[0]);
    long predInc = s.pred.incarnation();
    long succInc = s.succ.incarnation();
    world.scheduler.after(
        world.netDelay(),
        "closed-at-pred " + s,
        () -> {
          if (s.pred.incarnation() == predInc) {
            s.pred.downstreamClosed(s);
          }
        });
    world.scheduler.after(
        world.netDelay(),
        "closed-at-succ " + s,
        () -> {
          if (s.succ.incarnation() == succInc) {
            s.succ.upstreamClosed(s);
          }
        });
  }

  /** Breaks every stream of a node (it crashed). */
  void breakAllOf(SimNode n) {
    for (Stream s : List.copyOf(live.values())) {
      if (s.succ == n || s.pred == n) {
        breakStream(s, "crash of " + n.id());
      }
    }
  }
}
