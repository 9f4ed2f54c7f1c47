package dev.catena.tests.frangipani;

import dev.catena.client.CatenaClient;
import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import dev.catena.frangipani.zk.FrangipaniMount;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A clerk in its own JVM for {@link PausedClerkFencingIT}: writes {@code /f} (logged, not written
 * back), prints {@code READY}, and on the line {@code sync} starts writing its dirty metadata back.
 * At the first inode put, after every lease check has passed, it prints {@code AT writeback} and
 * waits for one more line (the test stops the process meanwhile with SIGSTOP, past its lease), then
 * issues the put under the token of its old grant and prints {@code LANDED} or {@code REFUSED
 * <exception>}. Arguments: ZooKeeper connect string, cluster, bucket.
 */
public final class PausedClerkChild {
  private PausedClerkChild() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    CatenaClient client =
        CatenaClient.builder()
            .zookeeper(args[0])
            .cluster(args[1])
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    boolean[] armed = {false};
    FrangipaniMount m =
        FrangipaniMount.open(
            args[0],
            args[1],
            client,
            args[2],
            Duration.ofSeconds(3),
            new SplittableRandom(3),
            store -> new PauseAtWriteBack(store, armed, in, out));
    m.fs().write("/f", "old".getBytes(StandardCharsets.UTF_8));
    out.println("READY");
    if ("sync".equals(in.readLine())) {
      armed[0] = true;
      try {
        m.fs().sync();
      } catch (RuntimeException e) {
        out.println("SYNC FAILED " + e.getClass().getSimpleName());
      }
    }
    LockSupport.park();
  }

  private static final class PauseAtWriteBack extends ForwardingObjectStore {
    private final boolean[] armed;
    private final BufferedReader in;
    private final PrintStream out;

    PauseAtWriteBack(ObjectStore store, boolean[] armed, BufferedReader in, PrintStream out) {
      super(store);
      this.armed = armed;
      this.in = in;
      this.out = out;
    }

    @Override
    public void put(String key, byte[] data, Fence fence) {
      if (armed[0] && key.startsWith("inode/")) {
        armed[0] = false;
        out.println("AT writeback " + key + " token " + fence.token());
        try {
          in.readLine();
        } catch (java.io.IOException e) {
          throw new UncheckedIOException(e);
        }
        try {
          super.put(key, data, fence);
          out.println("LANDED");
        } catch (RuntimeException e) {
          out.println("REFUSED " + e.getClass().getSimpleName());
          throw e;
        }
        return;
      }
      super.put(key, data, fence);
    }
  }
}
