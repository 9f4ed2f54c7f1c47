package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.tests.bench.failover.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Raft reference's peers as OS processes ({@link RatisPeerMain}, this JVM's class path), peer
 * {@code p<i>} on {@code basePort + i} with data under {@code dataDir/p<i>}. {@link #close()} stops
 * them (SIGTERM, then SIGKILL); the peers also exit when this JVM does.
 */
public final class RatisCluster implements AutoCloseable {
  private final int peers;
  private final int basePort;
  private final Map<String, Process> processes = new TreeMap<>();

  private RatisCluster(int peers, int basePort) {
    this.peers = peers;
    this.basePort = basePort;
  }

  /** Starts {@code peers} peers with {@link RatisSettings} and {@code overrides}. */
  public static RatisCluster start(
      Path dataDir, int peers, int basePort, FsyncPolicy fsync, Map<String, String> overrides) {
    var c = new RatisCluster(peers, basePort);
    try {
      for (int i = 1; i <= peers; i++) {
        String id = RatisSettings.peerId(i);
        Path dir = dataDir.resolve(id);
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx1g");
        String extra = System.getenv("CATENA_NODE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
          cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                RatisPeerMain.class.getName(),
                Integer.toString(i),
                Integer.toString(peers),
                Integer.toString(basePort),
                dir.toString(),
                fsync.name().toLowerCase(Locale.ROOT)));
        overrides.forEach((k, v) -> cmd.add(k + "=" + v));
        synchronized (c) {
          c.processes.put(
              id,
              new ProcessBuilder(cmd)
                  .redirectErrorStream(true)
                  .redirectOutput(
                      ProcessBuilder.Redirect.appendTo(dir.resolve("peer.log").toFile()))
                  .start());
        }
      }
    } catch (IOException e) {
      c.close();
      throw new UncheckedIOException("cannot start Ratis peers", e);
    }
    return c;
  }

  public int peers() {
    return peers;
  }

  public int basePort() {
    return basePort;
  }

  /**
   * Waits until every peer accepts TCP connections on its port.
   *
   * @throws IllegalStateException if a peer exits or {@code timeoutMillis} passes first
   */
  public void awaitListening(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    for (int i = 1; i <= peers; i++) {
      while (!accepts(basePort + i)) {
        if (!exited().isEmpty()) {
          throw new IllegalStateException("Ratis peers exited (see peer.log): " + exited());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Ratis peer p" + i + " not listening in time");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private static boolean accepts(int port) {
    try (var s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Peer id → OS pid. */
  public synchronized Map<String, Long> pids() {
    var out = new TreeMap<String, Long>();
    processes.forEach((id, p) -> out.put(id, p.pid()));
    return out;
  }

  /** Ids of peers whose process has exited. */
  public synchronized List<String> exited() {
    var out = new ArrayList<String>();
    processes.forEach(
        (id, p) -> {
          if (!p.isAlive()) {
            out.add(id);
          }
        });
    return out;
  }

  @Override
  public synchronized void close() {
    Processes.stopAll(processes.values());
  }
}
