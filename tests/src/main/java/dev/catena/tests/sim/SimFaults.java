package dev.catena.tests.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans and injects the faults of one run, all drawn from the run's random source: node crashes
 * (keeping or losing the not-yet-durable suffix, sometimes two nodes at once), link cuts between
 * node pairs, and partitions of a node from ZooKeeper (optionally from its peers too). It also
 * models each node's session: a node that stops heart-beating fences itself when its lease lapses
 * and is reported to the coordinator only when the session times out (lease &lt; session, DESIGN.md
 * §4 invariant 7, §6). A crashed node restarts only after its old session expired.
 */
final class SimFaults {
  private final SimWorld world;
  private final long lease;
  private final long session;
  private final Map<String, Integer> cutCount = new HashMap<>();
  private final Map<String, Long> downSince = new HashMap<>();
  private final Map<String, Boolean> expired = new HashMap<>();
  private final Map<String, Boolean> crashed = new HashMap<>();
  private long healBy;

  SimFaults(SimWorld world) {
    this.world = world;
    this.lease = SimWorld.millis(world.options.leaseMillis());
    this.session = SimWorld.millis(world.options.sessionTimeoutMillis());
  }

  /** Schedules {@code count} faults inside [50 ms, workloadEnd − 150 ms]. */
  void plan(int count, long workloadEnd) {
    this.healBy = workloadEnd;
    List<String> ids = new ArrayList<>(world.nodes.keySet());
    for (int i = 0; i < count; i++) {
      long at = world.between(SimWorld.millis(50), workloadEnd - SimWorld.millis(150));
      int kind = world.random.nextInt(10);
      String a = ids.get(world.random.nextInt(ids.size()));
      String b = ids.get(world.random.nextInt(ids.size()));
      if (kind < 3) {
        SimStorage.CrashMode mode =
            world.random.nextBoolean()
                ? SimStorage.CrashMode.KEEP
                : SimStorage.CrashMode.LOSE_UNSYNCED;
        world.scheduler.after(at, "fault crash " + a + " " + mode, () -> crash(a, mode));
      } else if (kind == 3) {
        world.scheduler.after(
            at,
            "fault crash " + a + "+" + b,
            () -> {
              crash(a, SimStorage.CrashMode.LOSE_UNSYNCED);
              crash(b, SimStorage.CrashMode.LOSE_UNSYNCED);
            });
      } else if (kind < 7) {
        if (!a.equals(b)) {
          long d = world.between(SimWorld.millis(5), SimWorld.millis(300));
          world.scheduler.after(at, "fault cut " + a + "|" + b, () -> cutFor(a, b, d));
        }
      } else {
        long d = world.between(SimWorld.millis(30), SimWorld.millis(500));
        boolean peersToo = world.random.nextBoolean();
        world.scheduler.after(
            at,
            "fault zk-partition " + a + (peersToo ? " +peers" : ""),
            () -> partition(a, d, peersToo));
      }
    }
  }

  private void cutFor(String a, String b, long duration) {
    cut(a, b);
    world.scheduler.after(healDelay(duration), "heal cut " + a + "|" + b, () -> heal(a, b));
  }

  private long healDelay(long duration) {
    long now = world.clock.nanos();
    return Math.max(0, Math.min(now + duration, healBy) - now);
  }

  private void cut(String a, String b) {
    String k = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    if (cutCount.merge(k, 1, Integer::sum) == 1) {
      world.network.cut(a, b);
    }
  }

  private void heal(String a, String b) {
    String k = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    if (cutCount.merge(k, -1, Integer::sum) == 0) {
      world.network.heal(a, b);
    }
  }

  private boolean isDown(String n) {
    return downSince.containsKey(n);
  }

  private void sessionDown(String n) {
    long since = world.clock.nanos();
    downSince.put(n, since);
    expired.put(n, false);
    world.scheduler.after(
        session,
        "session-timeout " + n,
        () -> {
          if (Long.valueOf(since).equals(downSince.get(n))) {
            expired.put(n, true);
            world.count("session-expired");
            world.zk.expire(n);
          }
        });
  }

  private void crash(String n, SimStorage.CrashMode mode) {
    if (isDown(n)) {
      return;
    }
    world.trace.add("  crash " + n + " " + mode);
    world.count("crash " + mode);
    world.node(n).crash(mode);
    crashed.put(n, true);
    sessionDown(n);
    long restartAt = session + world.between(SimWorld.millis(10), SimWorld.millis(300));
    world.scheduler.after(restartAt, "restart " + n, () -> restart(n));
  }

  private void restart(String n) {
    SimNode node = world.node(n);
    node.restart();
    crashed.put(n, false);
    world.count("restart");
    sessionUp(n);
  }

  /**
   * A node's new or resumed session: after an expiry (or a restart) it registers again with a new
   * incarnation and its replicas learn that their session was replaced; it catches up on
   * configuration, then stops fencing.
   */
  private void sessionUp(String n) {
    downSince.remove(n);
    SimNode node = world.node(n);
    if (Boolean.TRUE.equals(expired.get(n)) || !world.zk.registered().contains(n)) {
      node.newSession();
      expired.put(n, false);
      world.zk.register(node);
    }
    world.deliverAllViews(node);
    long inc = node.incarnation();
    world.scheduler.after(
        SimWorld.millis(61),
        "unfence " + n,
        () -> {
          if (node.alive() && node.incarnation() == inc && !isDown(n) && node.fenced()) {
            node.setFenced(false);
          }
        });
  }

  private void partition(String n, long duration, boolean peersToo) {
    if (isDown(n)) {
      return;
    }
    world.cutFromCoordinator.add(n);
    world.count("zk-partition" + (peersToo ? " +peers" : ""));
    List<String> others = new ArrayList<>();
    if (peersToo) {
      for (String o : world.nodes.keySet()) {
        if (!o.equals(n)) {
          others.add(o);
          cut(n, o);
        }
      }
    }
    sessionDown(n);
    long since = downSince.get(n);
    world.scheduler.after(
        lease,
        "lease-lapse " + n,
        () -> {
          SimNode node = world.node(n);
          if (Long.valueOf(since).equals(downSince.get(n)) && node.alive()) {
            node.setFenced(true);
            world.count("fenced");
          }
        });
    world.scheduler.after(
        healDelay(duration),
        "heal zk-partition " + n,
        () -> {
          world.cutFromCoordinator.remove(n);
          for (String o : others) {
            heal(n, o);
          }
          sessionUp(n);
        });
  }

  /** A spare node starts: it registers at {@code at} (unless crashed by then). */
  void startLater(String n, long at) {
    world.scheduler.after(
        at,
        "start " + n,
        () -> {
          if (!isDown(n) && world.node(n).alive() && !world.zk.registered().contains(n)) {
            sessionUp(n);
          }
        });
  }

  /** True while some node is crashed (its restart is still pending). */
  boolean anyCrashed() {
    return crashed.containsValue(true);
  }
}
