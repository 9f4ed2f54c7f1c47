package dev.catena.deploy.zk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A real, standalone ZooKeeper server in this JVM, with its transaction log and snapshots under a
 * data directory (so a restart on the same directory keeps the cluster state). Used by {@code
 * catena local} and {@code catena zk}; not a test double.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final String connectString;

  /** The tick of Catena's embedded servers (local cluster, benchmarks): 100 ms. */
  public static final int DEFAULT_TICK_MS = 100;

  /** Longest session timeout granted regardless of the tick: 60 s. */
  public static final int MAX_SESSION_TIMEOUT_MS = 60_000;

  private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory factory, String connect) {
    this.server = server;
    this.factory = factory;
    this.connectString = connect;
  }

  /**
   * Starts a server.
   *
   * @param dataDir where the transaction log and snapshots live
   * @param host address to bind
   * @param port client port
   *     <p>The tick is the granularity of session expiry: the server expires a session at the first
   *     tick boundary after its timeout has passed, so it bounds how late a dead node's session
   *     ends (Catena's failover time is the session timeout plus up to one tick plus the
   *     reconfiguration). Sessions may last from 2 ticks to {@link #MAX_SESSION_TIMEOUT_MS} (or 20
   *     ticks if longer), so a short tick does not shorten the timeouts clients ask for.
   * @param tickTimeMs ZooKeeper tick
   */
  public static EmbeddedZooKeeper start(Path dataDir, String host, int port, int tickTimeMs) {
    try {
      Files.createDirectories(dataDir);
      System.setProperty("zookeeper.admin.enableServer", "false");
      var server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), tickTimeMs);
      server.setMinSessionTimeout(2 * tickTimeMs);
      server.setMaxSessionTimeout(Math.max(20 * tickTimeMs, MAX_SESSION_TIMEOUT_MS));
      var factory = ServerCnxnFactory.createFactory(new InetSocketAddress(host, port), 1000);
      factory.startup(server);
      return new EmbeddedZooKeeper(server, factory, host + ":" + factory.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start ZooKeeper on " + host + ":" + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting ZooKeeper", e);
    }
  }

  /** host:port for clients. */
  public String connectString() {
    return connectString;
  }

  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
  }
}
