package dev.catena.frangipani.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.frangipani.lock.ClerkLocks.Effect;
import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.lock.LockQueue.RevokeResponse;
import dev.catena.frangipani.lock.LockTable.Grant;
import dev.catena.frangipani.lock.LockTable.Outcome;
import dev.catena.frangipani.lock.LockTable.Revoke;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded simulation of the pure lock table with several pure clerks: FIFO channels per clerk in
 * each direction, delivered in random interleavings, revoke messages lost at random (waiters repeat
 * them, as the ZooKeeper requester does), clerks whose session expires (their log replayed before
 * their locks go) and come back as new clerks. After every step: no two clerks hold incompatible
 * grants, and every admitted user sees the latest value written under the lock (cache coherence).
 * At the end, with faults off, every waiting user is admitted (no deadlock, no lost grant).
 */
@Timeout(60)
class LockSimulationTest {
  private static final List<String> LOCKS = List.of("a", "b", "c");

  static LongStream seeds() {
    return LongStream.range(1, 201);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tableAndClerksStaySafeCoherentAndLive(long seed) {
    try {
      new Sim(seed).run();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    }
  }

  private static final class Clerk {
    final String id;
    final ClerkLocks locks = new ClerkLocks();
    final Map<String, Integer> cache = new HashMap<>();
    final Map<String, LockMode> waiting = new HashMap<>();
    final Map<String, LockMode> active = new HashMap<>();
    final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
    final ArrayDeque<Runnable> outbox = new ArrayDeque<>();

    Clerk(String id) {
      this.id = id;
    }
  }

  private static final class Sim {
    final SplittableRandom rnd;
    final LockTable table = new LockTable();
    final Map<String, Integer> storage = new HashMap<>();
    final Map<String, Integer> latest = new HashMap<>();
    final List<Clerk> clerks = new ArrayList<>();
    int nextClerk;
    boolean faults = true;

    Sim(long seed) {
      rnd = new SplittableRandom(seed);
      for (int i = 0; i < 3; i++) {
        clerks.add(new Clerk("c" + nextClerk++));
      }
      for (String l : LOCKS) {
        storage.put(l, 0);
        latest.put(l, 0);
      }
    }

    void run() {
      for (int step = 0; step < 2000; step++) {
        step();
        checkSafety();
      }
      faults = false;
      for (Clerk c : clerks) {
        for (String lock : List.copyOf(c.active.keySet())) {
          endOp(c, lock);
        }
      }
      for (int i = 0; i < 20_000 && !quiet(); i++) {
        if (!deliverOne()) {
          rerevoke();
        }
        for (Clerk c : clerks) {
          for (String lock : List.copyOf(c.active.keySet())) {
            endOp(c, lock);
          }
        }
        checkSafety();
      }
      assertThat(quiet()).as("every waiting user admitted, channels drained").isTrue();
    }

    boolean quiet() {
      return clerks.stream()
          .allMatch(c -> c.waiting.isEmpty() && c.inbox.isEmpty() && c.outbox.isEmpty());
    }

    void step() {
      int r = rnd.nextInt(100);
      Clerk c = clerks.get(rnd.nextInt(clerks.size()));
      if (r < 30) {
        String lock = LOCKS.get(rnd.nextInt(LOCKS.size()));
        if (!c.waiting.containsKey(lock) && !c.active.containsKey(lock)) {
          c.waiting.put(lock, rnd.nextBoolean() ? LockMode.SHARED : LockMode.EXCLUSIVE);
          retry(c);
        }
      } else if (r < 50) {
        if (!c.active.isEmpty()) {
          List<String> held = List.copyOf(c.active.keySet());
          endOp(c, held.get(rnd.nextInt(held.size())));
        }
      } else if (r < 95) {
        deliverOne();
      } else if (r < 98) {
        rerevoke();
      } else if (faults) {
        expire(c);
      }
    }

    boolean deliverOne() {
      List<ArrayDeque<Runnable>> nonEmpty = new ArrayList<>();
      for (Clerk c : clerks) {
        if (!c.inbox.isEmpty()) {
          nonEmpty.add(c.inbox);
        }
        if (!c.outbox.isEmpty()) {
          nonEmpty.add(c.outbox);
        }
      }
      if (nonEmpty.isEmpty()) {
        return false;
      }
      nonEmpty.get(rnd.nextInt(nonEmpty.size())).poll().run();
      return true;
    }

    /** Waiters repeat their revocations (a ZooKeeper requester re-revokes on every change). */
    void rerevoke() {
      for (String lock : table.locks()) {
        List<Entry> q = table.queue(lock);
        for (int i = 0; i < q.size(); i++) {
          if (!LockQueue.granted(q, i)) {
            for (Entry e : LockQueue.toRevoke(q, i)) {
              sendRevoke(new Revoke(lock, e.clerk()));
            }
          }
        }
      }
    }

    Clerk clerk(String id) {
      return clerks.stream().filter(c -> c.id.equals(id)).findFirst().orElse(null);
    }

    void deliverOutcome(Outcome o) {
      for (Grant g : o.granted()) {
        Clerk c = clerk(g.clerk());
        c.inbox.add(
            () -> {
              apply(c, c.locks.granted(g.lock(), g.mode(), g.token()));
              retry(c);
            });
      }
      o.revokes().forEach(this::sendRevoke);
    }

    void sendRevoke(Revoke r) {
      Clerk c = clerk(r.clerk());
      if (c == null || (faults && rnd.nextInt(4) == 0)) {
        return; // lost
      }
      c.inbox.add(
          () -> {
            List<Entry> q = table.queue(r.lock());
            RevokeResponse resp = RevokeResponse.RELEASE;
            for (int i = 0; i < q.size(); i++) {
              if (q.get(i).clerk().equals(c.id)) {
                resp = LockQueue.revokeResponse(q, i);
              }
            }
            apply(c, c.locks.revokeRequested(r.lock(), resp));
            retry(c);
          });
    }

    void apply(Clerk c, List<Effect> effects) {
      for (Effect e : effects) {
        if (e instanceof ClerkLocks.Acquire a) {
          c.outbox.add(() -> deliverOutcome(table.request(a.lock(), c.id, a.mode())));
        } else if (e instanceof ClerkLocks.WriteBack w) {
          storage.put(w.lock(), c.cache.get(w.lock()));
          apply(c, c.locks.writtenBack(w.lock()));
        } else if (e instanceof ClerkLocks.DropCache d) {
          c.cache.remove(d.lock());
        } else if (e instanceof ClerkLocks.Release rel) {
          c.outbox.add(
              () -> {
                Outcome o = table.release(rel.lock(), c.id);
                c.inbox.add(
                    () -> {
                      apply(c, c.locks.released(rel.lock()));
                      retry(c);
                    });
                deliverOutcome(o);
              });
        } else if (e instanceof ClerkLocks.Downgrade d) {
          c.outbox.add(
              () -> {
                Outcome o = table.downgrade(d.lock(), c.id);
                Grant mine = o.granted().get(0);
                c.inbox.add(
                    () -> {
                      apply(c, c.locks.downgraded(d.lock(), mine.token()));
                      retry(c);
                    });
                deliverOutcome(new Outcome(o.granted().subList(1, o.granted().size()), List.of()));
              });
        } else if (e instanceof ClerkLocks.FailDirty) {
          throw new AssertionError("dirty data failed outside an expiry");
        }
      }
    }

    void retry(Clerk c) {
      for (var w : List.copyOf(c.waiting.entrySet())) {
        ClerkLocks.Step s = c.locks.begin(w.getKey(), w.getValue());
        apply(c, s.effects());
        if (s.admitted()) {
          c.waiting.remove(w.getKey());
          c.active.put(w.getKey(), w.getValue());
          int seen = c.cache.computeIfAbsent(w.getKey(), storage::get);
          assertThat(seen)
              .as("%s sees the latest value of %s", c.id, w.getKey())
              .isEqualTo(latest.get(w.getKey()));
        }
      }
    }

    void endOp(Clerk c, String lock) {
      LockMode mode = c.active.remove(lock);
      boolean write = mode == LockMode.EXCLUSIVE && rnd.nextBoolean();
      if (write) {
        int v = c.cache.get(lock) + 1;
        c.cache.put(lock, v);
        latest.put(lock, v);
      }
      apply(c, c.locks.end(lock, write));
      retry(c);
    }

    /**
     * The clerk's session expires: its log (here: its dirty cache) is replayed before any of its
     * locks is granted to someone else, then it comes back as a new clerk.
     */
    void expire(Clerk c) {
      for (ClerkLocks.LockView v : c.locks.view()) {
        if (v.dirty()) {
          storage.put(v.lock(), c.cache.get(v.lock()));
        }
      }
      for (Effect e : c.locks.sessionLost()) {
        if (e instanceof ClerkLocks.DropCache d) {
          c.cache.remove(d.lock());
        }
      }
      clerks.remove(c);
      Outcome o = table.expire(c.id);
      clerks.add(new Clerk("c" + nextClerk++));
      deliverOutcome(o);
    }

    void checkSafety() {
      for (String lock : LOCKS) {
        List<Grant> holders = table.holders(lock);
        Set<String> distinct = new HashSet<>();
        holders.forEach(g -> distinct.add(g.clerk()));
        if (holders.stream().anyMatch(g -> g.mode() == LockMode.EXCLUSIVE)) {
          assertThat(distinct).as("exclusive holder of %s alone", lock).hasSize(1);
        }
        int exclusiveUsers = 0;
        int users = 0;
        for (Clerk c : clerks) {
          LockMode m = c.active.get(lock);
          if (m != null) {
            users++;
            exclusiveUsers += m == LockMode.EXCLUSIVE ? 1 : 0;
          }
        }
        if (exclusiveUsers > 0) {
          assertThat(users).as("users of %s while one writes", lock).isEqualTo(1);
        }
      }
    }
  }
}
