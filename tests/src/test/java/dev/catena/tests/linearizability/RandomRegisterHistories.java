package dev.catena.tests.linearizability;

import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryRecorder;
import dev.catena.tests.history.OpType;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates histories that are linearizable by construction: concurrent clients run against a real
 * sequential register, each operation takes effect at one instant between its invocation and its
 * completion (both recorded through {@link HistoryRecorder} on a ticking fake clock), and the
 * random interleaving decides the concurrency. Some operations FAIL before taking effect, some end
 * as INFO (before or after taking effect), and some are left pending forever. Written values are
 * unique.
 */
final class RandomRegisterHistories {
  private RandomRegisterHistories() {}

  /** Shape of a generated history. */
  record Shape(int processes, int keys, int operations) {}

  private static final class Client {
    int process;
    long id = -1;
    String key;
    OpType type;
    String value;
    boolean applied;
    String result;
  }

  static History generate(long seed, Shape shape) {
    SplittableRandom rnd = new SplittableRandom(seed);
    AtomicLong ticks = new AtomicLong();
    HistoryRecorder rec = new HistoryRecorder(ticks::incrementAndGet);
    Map<String, String> register = new HashMap<>();
    Client[] clients = new Client[shape.processes()];
    for (int p = 0; p < clients.length; p++) {
      clients[p] = new Client();
      clients[p].process = p;
    }
    int nextProcess = clients.length;
    int started = 0;
    int valueCounter = 0;
    int inFlight = 0;
    // Bounded: every iteration makes progress with probability >= 1/processes.
    for (int step = 0; step < 1_000_000 && (started < shape.operations() || inFlight > 0); step++) {
      Client c = clients[rnd.nextInt(clients.length)];
      if (c.id < 0) {
        if (started >= shape.operations()) {
          continue;
        }
        c.key = "k" + rnd.nextInt(shape.keys());
        int t = rnd.nextInt(100);
        c.type = t < 45 ? OpType.READ : t < 88 ? OpType.WRITE : OpType.DELETE;
        c.value = c.type == OpType.WRITE ? "v" + (valueCounter++) : null;
        c.applied = false;
        c.id = rec.invoke(c.process, c.key, c.type, c.value);
        started++;
        inFlight++;
        continue;
      }
      int r = rnd.nextInt(100);
      if (!c.applied) {
        if (r < 3) {
          rec.fail(c.id);
          finish(c);
          inFlight--;
        } else if (r < 5) {
          rec.info(c.id); // timed out without ever taking effect
          c.process = nextProcess++;
          finish(c);
          inFlight--;
        } else if (r < 55) {
          switch (c.type) {
            case READ -> c.result = register.get(c.key);
            case WRITE -> register.put(c.key, c.value);
            case DELETE -> register.remove(c.key);
          }
          c.applied = true;
        }
      } else {
        if (r < 3) {
          rec.info(c.id); // took effect but the client never learned it
          c.process = nextProcess++;
          finish(c);
          inFlight--;
        } else if (r < 5 && started >= shape.operations() - clients.length) {
          // crash near the end: leave the op pending forever (recorded as INFO)
          c.process = nextProcess++;
          finish(c);
          inFlight--;
        } else if (r < 50) {
          rec.ok(c.id, c.result);
          finish(c);
          inFlight--;
        }
      }
    }
    if (inFlight != 0) {
      throw new IllegalStateException("generator did not finish for seed " + seed);
    }
    return rec.history();
  }

  private static void finish(Client c) {
    c.id = -1;
    c.result = null;
  }
}
