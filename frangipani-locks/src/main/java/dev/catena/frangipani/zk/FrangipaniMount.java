package dev.catena.frangipani.zk;

import dev.catena.client.CatenaClient;
import dev.catena.frangipani.fs.FileSystem;
import dev.catena.frangipani.store.CatenaObjectStore;
import dev.catena.frangipani.store.ObjectStore;
import dev.catena.frangipani.wal.LogReplay;
import java.time.Duration;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A clerk with its namespace, composed: its own ZooKeeper session, the lock server on it, a
 * recovery-daemon participant (so that a dead clerk's log is replayed as long as any clerk runs)
 * and the {@link FileSystem} on a Catena bucket. Starts in dependency order and closes in reverse;
 * a clean close writes everything back and leaves nothing to recover.
 */
public final class FrangipaniMount implements AutoCloseable {
  /** Default bucket of the namespace. */
  public static final String DEFAULT_BUCKET = "catena-fs";

  private final CuratorFramework zk;
  private final ZkLockServer server;
  private final ZkRecoveryDaemon daemon;
  private final FileSystem fs;

  private FrangipaniMount(
      CuratorFramework zk, ZkLockServer server, ZkRecoveryDaemon daemon, FileSystem fs) {
    this.zk = zk;
    this.server = server;
    this.daemon = daemon;
    this.fs = fs;
  }

  /**
   * Mounts the namespace of {@code cluster} kept in {@code bucket} through {@code client} (owned by
   * the caller) as a new clerk whose lease is a ZooKeeper session of {@code sessionTimeout}.
   */
  public static FrangipaniMount open(
      String zkConnect,
      String cluster,
      CatenaClient client,
      String bucket,
      Duration sessionTimeout,
      RandomGenerator random)
      throws Exception {
    return open(zkConnect, cluster, client, bucket, sessionTimeout, random, s -> s);
  }

  /**
   * As {@link #open(String, String, CatenaClient, String, Duration, RandomGenerator)}, with the
   * clerk's namespace and log writing through {@code decorate} applied to the store (to count or
   * instrument its calls; the recovery daemon always uses the plain store).
   */
  public static FrangipaniMount open(
      String zkConnect,
      String cluster,
      CatenaClient client,
      String bucket,
      Duration sessionTimeout,
      RandomGenerator random,
      java.util.function.UnaryOperator<ObjectStore> decorate)
      throws Exception {
    byte[] b = new byte[8];
    random.nextBytes(b);
    String clerkId = "c" + HexFormat.of().formatHex(b);
    CuratorFramework zk =
        CuratorFrameworkFactory.builder()
            .connectString(zkConnect)
            .sessionTimeoutMs((int) sessionTimeout.toMillis())
            .connectionTimeoutMs((int) Math.min(sessionTimeout.toMillis(), 15_000))
            .retryPolicy(new ExponentialBackoffRetry(50, 10, 1000))
            .build();
    zk.start();
    ZkLockServer server = null;
    ZkRecoveryDaemon daemon = null;
    try {
      LockPaths paths = new LockPaths(cluster, bucket);
      server = new ZkLockServer(zk, paths, clerkId).start();
      ObjectStore store = new CatenaObjectStore(client, bucket);
      daemon = new ZkRecoveryDaemon(zk, paths, clerkId, new LogReplay(store)).start();
      FileSystem fs = new FileSystem(server, decorate.apply(store), 256, random);
      return new FrangipaniMount(zk, server, daemon, fs);
    } catch (Exception | Error e) {
      if (daemon != null) {
        daemon.close();
      }
      if (server != null) {
        server.close();
      }
      zk.close();
      throw e;
    }
  }

  /** The namespace. */
  public FileSystem fs() {
    return fs;
  }

  /** The clerk's id. */
  public String clerkId() {
    return server.clerkId();
  }

  /** The clerk's ZooKeeper session (for tests that expire it). */
  public CuratorFramework session() {
    return zk;
  }

  @Override
  public void close() {
    try {
      fs.close();
    } finally {
      daemon.close();
      zk.close();
    }
  }
}
