package dev.catena.tests.frangipani;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.frangipani.fs.FileSystem;
import dev.catena.frangipani.fs.FileSystem.DirEntry;
import dev.catena.frangipani.fs.FsException;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.zk.FrangipaniMount;
import dev.catena.tests.frangipani.FsModel.Kind;
import dev.catena.tests.frangipani.FsModel.Op;
import dev.catena.tests.linearizability.CheckerOptions;
import dev.catena.tests.linearizability.ModelChecker;
import dev.catena.tests.linearizability.TimedOp;
import dev.catena.tests.linearizability.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four clerks run 500 random namespace operations each on one small shared tree of a real
 * in-process Catena cluster, while their ZooKeeper sessions are killed at random points (each
 * killed clerk is recovered by another clerk's recovery daemon and replaced by a new clerk that
 * carries on). Every operation is recorded with its invocation and completion time and result; the
 * whole history, closed by a read of every path, must be linearizable against {@link FsModel}, the
 * namespace's sequential specification. So: no acknowledged operation is lost, a rename is atomic,
 * and no reader sees a state that no order of the operations explains.
 */
@Timeout(600)
class NamespaceLinearizabilityIT extends FrangipaniClusterTest {
  private static final int CLERKS = 4;
  private static final int OPS_PER_CLERK = 500;
  private static final int KILLS = 4;
  private static final List<String> TOP = List.of("/a", "/b", "/c");
  private static final List<String> PATHS = paths();

  private static List<String> paths() {
    List<String> out = new ArrayList<>(TOP);
    for (String t : TOP) {
      out.add(t + "/x");
      out.add(t + "/y");
    }
    out.add("/a/x/z");
    return List.copyOf(out);
  }

  private static Op randomOp(int clerk, int n, SplittableRandom rnd) {
    String p = PATHS.get(rnd.nextInt(PATHS.size()));
    int k = rnd.nextInt(100);
    if (k < 25) {
      return new Op(clerk, Kind.WRITE, p, null, "c" + clerk + "-" + n, null);
    } else if (k < 42) {
      return new Op(clerk, Kind.READ, p, null, null, null);
    } else if (k < 57) {
      return new Op(
          clerk, Kind.MKDIR, rnd.nextInt(3) == 0 ? p : TOP.get(rnd.nextInt(3)), null, null, null);
    } else if (k < 69) {
      return new Op(clerk, Kind.RENAME, p, PATHS.get(rnd.nextInt(PATHS.size())), null, null);
    } else if (k < 79) {
      return new Op(clerk, Kind.UNLINK, p, null, null, null);
    } else if (k < 87) {
      return new Op(clerk, Kind.RMDIR, p, null, null, null);
    } else {
      String d = rnd.nextInt(3) == 0 ? "/" : TOP.get(rnd.nextInt(3));
      return new Op(clerk, Kind.LIST, d, null, null, null);
    }
  }

  /**
   * Runs {@code op} on {@code fs}; the result as {@link Op#result()} spells it (a typed error by
   * its class name).
   */
  private static String run(FileSystem fs, Op op) {
    try {
      switch (op.kind()) {
        case MKDIR -> fs.mkdir(op.path());
        case WRITE -> fs.write(op.path(), op.data().getBytes(StandardCharsets.UTF_8));
        case READ -> {
          return "=" + new String(fs.read(op.path()), StandardCharsets.UTF_8);
        }
        case UNLINK -> fs.unlink(op.path());
        case RMDIR -> fs.rmdir(op.path());
        case RENAME -> fs.rename(op.path(), op.to());
        case LIST -> {
          return "=" + String.join(",", fs.list(op.path()).stream().map(DirEntry::name).toList());
        }
      }
      return "ok";
    } catch (FsException e) {
      // An untyped FsException ("kept conflicting") is returned as "FsException", a result no
      // state of the model explains: the check reports it as a violation.
      return e.getClass().getSimpleName();
    }
  }

  @Test
  void fourClerksWithKilledSessionsProduceALinearizableHistory() throws Exception {
    String bucket = "ns-linearizable";
    List<TimedOp<Op>> history = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
    AtomicReferenceArray<FrangipaniMount> mounts = new AtomicReferenceArray<>(CLERKS);
    for (int i = 0; i < CLERKS; i++) {
      mounts.set(i, mount(bucket, 100 + i));
    }
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger restarts = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    // Set when the test ends early, so no clerk thread outlives it (and reaches the next class's
    // cluster through the shared fixture).
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int i = 0; i < CLERKS; i++) {
      int clerk = i;
      Thread t =
          new Thread(
              () -> {
                SplittableRandom rnd = new SplittableRandom(7_000 + clerk);
                for (int n = 0; n < OPS_PER_CLERK && !stop.get(); n++) {
                  Op op = randomOp(clerk, n, rnd);
                  long start = System.nanoTime();
                  try {
                    String r = run(mounts.get(clerk).fs(), op);
                    history.add(new TimedOp<>(op.withResult(r), start, System.nanoTime()));
                  } catch (LeaseLostException e) {
                    // Killed during (or before) this operation: its outcome is unknown.
                    history.add(new TimedOp<>(op.withResult("?"), start, TimedOp.UNKNOWN));
                    mounts.get(clerk).close();
                    mounts.set(clerk, mount(bucket, 1_000 + restarts.incrementAndGet()));
                  } catch (RuntimeException e) {
                    history.add(new TimedOp<>(op.withResult("?"), start, TimedOp.UNKNOWN));
                    unexpected.add(new AssertionError(op + " threw", e));
                  }
                  completed.incrementAndGet();
                }
              },
              "clerk-" + i);
      threads.add(t);
      t.start();
    }
    try {
      SplittableRandom nemesis = new SplittableRandom(99);
      for (int k = 1; k <= KILLS; k++) {
        int at = k * CLERKS * OPS_PER_CLERK / (KILLS + 1);
        await().atMost(Duration.ofMinutes(4)).until(() -> completed.get() >= at);
        FrangipaniMount victim = mounts.get(nemesis.nextInt(CLERKS));
        KillSession.kill(victim.session().getZookeeperClient().getZooKeeper());
      }
      for (Thread t : threads) {
        t.join(TimeUnit.MINUTES.toMillis(6));
        assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
      }
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
    }
    for (int i = 0; i < CLERKS; i++) {
      mounts.get(i).close();
    }
    // Close the history with a read of every path by a fresh clerk after recovery.
    try (FrangipaniMount last = mount(bucket, 5_000)) {
      for (String p : PATHS) {
        Op read = new Op(9, Kind.READ, p, null, null, null);
        long start = System.nanoTime();
        String r = run(last.fs(), read);
        history.add(new TimedOp<>(read.withResult(r), start, System.nanoTime()));
      }
      Op ls = new Op(9, Kind.LIST, "/", null, null, null);
      long start = System.nanoTime();
      history.add(new TimedOp<>(ls.withResult(run(last.fs(), ls)), start, System.nanoTime()));
    }

    assertThat(restarts.get()).as("clerks killed and replaced").isGreaterThanOrEqualTo(1);
    long errorsSeen =
        history.stream().filter(o -> Character.isUpperCase(o.op().result().charAt(0))).count();
    var result =
        new ModelChecker<>(
                new FsModel(),
                CheckerOptions.defaults()
                    .withMaxStatesPerKey(20_000_000)
                    .withTimeout(Duration.ofMinutes(3)))
            .check(List.copyOf(history));
    var succeeded = new java.util.TreeMap<Kind, Integer>();
    for (TimedOp<Op> o : history) {
      String r = o.op().result();
      if (r.equals("ok") || r.startsWith("=")) {
        succeeded.merge(o.op().kind(), 1, Integer::sum);
      }
    }
    System.out.println("succeeded by kind: " + succeeded);
    System.out.printf(
        "namespace history: %d operations, %d typed errors, %d unknown, %d clerk restarts, %s (%d states)%n",
        history.size(),
        errorsSeen,
        history.stream().filter(TimedOp::unknown).count(),
        restarts.get(),
        result.verdict(),
        result.statesExplored());
    assertThat(result.verdict()).as(result.reason()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(unexpected).as("operations that failed without a typed error").isEmpty();
  }
}
