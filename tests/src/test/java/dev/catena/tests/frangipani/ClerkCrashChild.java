package dev.catena.tests.frangipani;

import dev.catena.client.CatenaClient;
import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import dev.catena.frangipani.zk.FrangipaniMount;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A clerk in its own JVM for {@link ClerkCrashIT}: mounts the namespace, runs {@code mkdir /kept}
 * (logged, not written back), then {@code mkdir /crash} and stops at the requested point of that
 * operation's log write, prints {@code AT <point>} and waits to be killed with SIGKILL.
 *
 * <p>Points: {@code before-log} (the record is not written), {@code after-log} (the record is
 * committed by the chain, the update not yet applied or written back), {@code torn-log} (the
 * record's first half is all that reached the store, as a clerk dying in the middle of writing it
 * leaves it). Arguments: ZooKeeper connect string, cluster, bucket, point.
 */
public final class ClerkCrashChild {
  private ClerkCrashChild() {}

  public static void main(String[] args) throws Exception {
    String zk = args[0];
    String cluster = args[1];
    String bucket = args[2];
    String point = args[3];
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    CatenaClient client =
        CatenaClient.builder()
            .zookeeper(zk)
            .cluster(cluster)
            .requestTimeout(Duration.ofSeconds(10))
            .build();
    boolean[] armed = {false};
    FrangipaniMount m =
        FrangipaniMount.open(
            zk,
            cluster,
            client,
            bucket,
            Duration.ofSeconds(3),
            new SplittableRandom(point.hashCode()),
            store -> new CrashPoint(store, point, armed, out));
    out.println("CLERK " + m.clerkId());
    m.fs().mkdir("/kept");
    out.println("KEPT");
    armed[0] = true;
    m.fs().mkdir("/crash");
    out.println("FINISHED without reaching " + point);
    LockSupport.park();
  }

  /** The store as the clerk sees it, stopping at {@code point} of the first armed log write. */
  private static final class CrashPoint extends ForwardingObjectStore {
    private final String point;
    private final boolean[] armed;
    private final PrintStream out;

    CrashPoint(ObjectStore store, String point, boolean[] armed, PrintStream out) {
      super(store);
      this.point = point;
      this.armed = armed;
      this.out = out;
    }

    @Override
    public void put(String key, byte[] data, Fence fence) {
      if (armed[0] && key.startsWith("wal/") && !key.endsWith("checkpoint")) {
        switch (point) {
          case "before-log" -> {}
          case "after-log" -> super.put(key, data, fence);
          case "torn-log" -> super.put(key, Arrays.copyOf(data, data.length / 2), fence);
          default -> throw new IllegalArgumentException("unknown point " + point);
        }
        out.println("AT " + point);
        while (true) {
          LockSupport.park();
        }
      }
      super.put(key, data, fence);
    }
  }
}
