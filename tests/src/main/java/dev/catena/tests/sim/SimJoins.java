package dev.catena.tests.sim;

import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The join data path (DESIGN.md §4 "Add a tail", §4a "Snapshot cut"), as {@code NodeRuntime} and
 * the chain service perform it: when a replica emits {@link Effect.InstallSnapshot}, its node
 * begins a join in storage and asks the predecessor for a snapshot; the predecessor's replica
 * grants it ({@link Event.SnapshotGrant}) once everything it received is durable, its store opens a
 * consistent image (cut ≥ the requested one, else refused) and streams the records in chunks over
 * the simulated network. Each chunk can be delayed, dropped, or cut off (link cut, crash of either
 * side); the joiner then gets {@link Event.SnapshotFailed} and its replica asks again. Chunks are
 * installed as they arrive (forwarded keys win); after the last one the install is finished and,
 * once durable, the joiner gets {@link Event.SnapshotInstalled} with its exactly-once records.
 */
final class SimJoins {
  /** A rejoin's install deleted records the chain never committed (§4a "Rejoin with old data"). */
  static final String SCENARIO_RESYNC_ROLLBACK = "scenario resync-rollback";

  /** The source side's answer to a snapshot request. */
  interface Grant {
    void serve(SimStorage.Image image);

    void failed(String reason);
  }

  private final class Transfer implements Grant {
    final SimNode joiner;
    final SimNode source;
    final int chainId;
    final Effect.InstallSnapshot request;
    final long token;
    boolean over;
    long lastAt;

    Transfer(SimNode joiner, SimNode source, int chainId, Effect.InstallSnapshot r, long token) {
      this.joiner = joiner;
      this.source = source;
      this.chainId = chainId;
      this.request = r;
      this.token = token;
    }

    String label() {
      return "snapshot c" + chainId + " " + source.id() + "->" + joiner.id() + " t" + token;
    }

    @Override
    public void serve(SimStorage.Image image) {
      if (over) {
        return;
      }
      if (image.cut() < request.cut()) {
        failed("snapshot cut " + image.cut() + " below requested " + request.cut());
        return;
      }
      world.trace.add("  " + label() + " open cut " + image.cut() + " " + image.records().size());
      var records = image.records();
      int i = 0;
      do {
        int n = 1 + world.random.nextInt(3);
        List<SimChainState.SnapRecord> chunk =
            List.copyOf(records.subList(i, Math.min(records.size(), i + n)));
        i += n;
        boolean end = i >= records.size();
        long now = world.clock.nanos();
        long at = Math.max(now + world.netDelay(), lastAt);
        lastAt = at;
        world.scheduler.after(at - now, label() + " chunk", () -> deliver(chunk, end, image));
      } while (i < records.size());
    }

    private void deliver(List<SimChainState.SnapRecord> chunk, boolean end, SimStorage.Image im) {
      if (over) {
        return;
      }
      if (world.faultsActive() && world.random.nextDouble() < world.options.dropProbability()) {
        failed("chunk dropped");
        return;
      }
      SimStorage st = joiner.storage();
      if (!joiner.currentInstall(chainId, token) || !st.installBatch(chainId, token, chunk)) {
        finish(); // superseded by a newer join of the chain: its outcome is ignored
        return;
      }
      joiner.scheduleFlush();
      if (!end) {
        return;
      }
      finish();
      world.count("snapshot-installed");
      int rolledBack =
          st.finishInstall(
              chainId,
              token,
              im.cut(),
              im.history(),
              () ->
                  joiner.installOutcome(
                      chainId,
                      token,
                      () -> new Event.SnapshotInstalled(request.cut(), st.loadDedup(chainId))));
      if (rolledBack > 0) {
        world.count(SCENARIO_RESYNC_ROLLBACK);
      }
      joiner.scheduleFlush();
    }

    @Override
    public void failed(String reason) {
      if (over) {
        return;
      }
      finish();
      world.count("snapshot-failed");
      world.trace.add("  " + label() + " failed: " + reason);
      long inc = joiner.incarnation();
      world.scheduler.after(
          world.netDelay(),
          label() + " failure seen",
          () -> {
            if (joiner.incarnation() == inc) {
              joiner.installOutcome(
                  chainId, token, () -> new Event.SnapshotFailed(request.cut(), reason));
            }
          });
    }

    private void finish() {
      over = true;
      active.remove(this);
    }
  }

  private final SimWorld world;
  private final List<Transfer> active = new ArrayList<>();

  SimJoins(SimWorld world) {
    this.world = world;
  }

  /** The joiner's install of {@code chainId} began in storage with {@code token}: fetch it. */
  void start(SimNode joiner, int chainId, Effect.InstallSnapshot request, long token) {
    SimNode source = world.node(request.from());
    Transfer t = new Transfer(joiner, source, chainId, request, token);
    active.add(t);
    world.count("snapshot-requested");
    world.scheduler.after(
        world.netDelay(),
        t.label() + " request",
        () -> {
          if (t.over) {
            return;
          }
          if (!source.alive() || world.network.isCut(joiner.id(), source.id())) {
            t.failed("connect failed");
            return;
          }
          source.snapshotRequest(chainId, request.epoch(), joiner.id(), t);
        });
  }

  /** A link cut between {@code a} and {@code b} breaks their snapshot streams. */
  void cut(String a, String b) {
    for (Transfer t : List.copyOf(active)) {
      String j = t.joiner.id();
      String s = t.source.id();
      if ((j.equals(a) && s.equals(b)) || (j.equals(b) && s.equals(a))) {
        t.failed("link cut");
      }
    }
  }

  /** A crash of {@code n} breaks every snapshot stream it sends or receives. */
  void crashed(SimNode n) {
    for (Transfer t : List.copyOf(active)) {
      if (t.joiner == n || t.source == n) {
        t.failed("crash of " + n.id());
      }
    }
  }
}
