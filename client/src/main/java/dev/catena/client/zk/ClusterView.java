package dev.catena.client.zk;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.client.Bucket;
import dev.catena.client.BucketExistsException;
import dev.catena.client.CatenaException;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.client.routing.ClusterSnapshot;
import dev.catena.proto.ClusterPaths;
import dev.catena.proto.v1.BucketInfo;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's read-only view of a cluster's configuration in ZooKeeper (DESIGN §3), plus the
 * bucket records it creates and deletes.
 *
 * <p>One persistent recursive watch on the cluster root signals changes; every signal (and every
 * {@code RECONNECTED}, which also re-adds the watch for a new session) schedules a <b>full
 * re-read</b> of {@code nodes/}, {@code chains/}, {@code shardmap}, {@code settings} and {@code
 * buckets/} on a single refresher thread. Signals are coalesced, so a burst of changes costs one or
 * two reads. A new {@link ClusterSnapshot} is published only when the content differs, with a
 * larger {@link ClusterSnapshot#version()}; waiters of {@link #awaitNewer} are completed then.
 *
 * <p>Bucket existence answers positively from the last full read and otherwise asks ZooKeeper, so a
 * bucket created a moment ago by anyone is found at once.
 */
public final class ClusterView implements ClusterDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

  private final CuratorFramework curator;
  private final boolean ownsCurator;
  private final ClusterPaths paths;
  private final ExecutorService refresher;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final CuratorWatcher watcher = this::onEvent;
  private final ConnectionStateListener connectionListener = this::onConnectionState;
  private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile ClusterSnapshot current = ClusterSnapshot.EMPTY;
  private volatile boolean closed;
  private Read lastRead; // guarded by waiters

  private record Waiter(long afterVersion, CompletableFuture<ClusterSnapshot> future) {}

  /**
   * A view over an already started Curator client (not closed by {@link #close()}). Reads the
   * configuration once before returning.
   */
  public ClusterView(CuratorFramework curator, String cluster) {
    this(curator, new ClusterPaths(cluster), false);
  }

  private ClusterView(CuratorFramework curator, ClusterPaths paths, boolean ownsCurator) {
    this.curator = Objects.requireNonNull(curator, "curator");
    this.paths = paths;
    this.ownsCurator = ownsCurator;
    this.refresher =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "catena-client-view");
              t.setDaemon(true);
              return t;
            });
    curator.getConnectionStateListenable().addListener(connectionListener);
    addWatch();
    readAndPublish();
  }

  /**
   * Connects to ZooKeeper at {@code connectString} and opens the view of {@code cluster}.
   *
   * @throws CatenaUnavailableException if no connection is made within {@code connectTimeout}
   * @throws IllegalArgumentException if the cluster name is invalid
   */
  public static ClusterView open(
      String connectString, String cluster, Duration sessionTimeout, Duration connectTimeout) {
    ClusterPaths paths = new ClusterPaths(cluster);
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) sessionTimeout.toMillis())
            .connectionTimeoutMs((int) Math.min(connectTimeout.toMillis(), 15_000))
            .retryPolicy(new ExponentialBackoffRetry(100, 5, 2_000))
            .build();
    c.start();
    try {
      if (!c.blockUntilConnected((int) connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        c.close();
        throw new CatenaUnavailableException("no ZooKeeper connection to " + connectString);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new CatenaException("interrupted while connecting to ZooKeeper", e);
    }
    return new ClusterView(c, paths, true);
  }

  // ---- snapshot ------------------------------------------------------------------------------

  @Override
  public ClusterSnapshot snapshot() {
    return current;
  }

  @Override
  public CompletableFuture<ClusterSnapshot> awaitNewer(long afterVersion) {
    synchronized (waiters) {
      ClusterSnapshot s = current;
      if (s.version() > afterVersion) {
        return CompletableFuture.completedFuture(s);
      }
      waiters.removeIf(w -> w.future().isDone()); // cancelled by their callers
      var f = new CompletableFuture<ClusterSnapshot>();
      waiters.add(new Waiter(afterVersion, f));
      return f;
    }
  }

  @Override
  public void refresh() {
    if (closed || !refreshQueued.compareAndSet(false, true)) {
      return;
    }
    refresher.execute(
        () -> {
          refreshQueued.set(false);
          readAndPublish();
        });
  }

  private void onEvent(WatchedEvent e) {
    String p = e.getPath();
    if (p != null
        && (p.startsWith(paths.locks())
            || p.startsWith(paths.stats())
            || p.startsWith(paths.root() + "/manager"))) {
      return;
    }
    refresh();
  }

  private void onConnectionState(CuratorFramework c, ConnectionState state) {
    if (state == ConnectionState.RECONNECTED) {
      // A new session has no watches: add it again, then re-read everything we may have missed.
      refresher.execute(this::addWatch);
      refresh();
    }
  }

  private void addWatch() {
    try {
      curator
          .watchers()
          .add()
          .withMode(AddWatchMode.PERSISTENT_RECURSIVE)
          .usingWatcher(watcher)
          .forPath(paths.root());
    } catch (Exception e) { // Curator's API declares Exception; a reconnect retries the watch
      LOG.warn("cannot watch {}: {}", paths.root(), e.toString());
    }
  }

  private void readAndPublish() {
    if (closed) {
      return;
    }
    Read r;
    try {
      r = readAll();
    } catch (ZkFailure e) {
      if (!closed) {
        LOG.warn(
            "reading the cluster configuration failed (retried on reconnect): {}", e.toString());
      }
      return;
    }
    publish(r);
  }

  /** The raw records of one full read; equal reads mean an unchanged configuration. */
  private record Read(
      ShardMap shardMap,
      List<ChainConfig> chains,
      Map<String, NodeInfo> nodes,
      ClusterSettings settings) {}

  private Read readAll() {
    var nodes = new TreeMap<String, NodeInfo>();
    for (String id : children(paths.nodes())) {
      byte[] b = data(paths.nodes() + "/" + id);
      if (b != null) {
        nodes.put(id, parse(b, NodeInfo.parser()));
      }
    }
    var chains = new ArrayList<ChainConfig>();
    for (String id : children(paths.chains())) {
      byte[] b = data(paths.chains() + "/" + id);
      if (b != null) {
        chains.add(parse(b, ChainConfig.parser()));
      }
    }
    chains.sort(Comparator.comparingInt(ChainConfig::getChainId));
    byte[] sm = data(paths.shardMap());
    byte[] st = data(paths.settings());
    var buckets = children(paths.buckets());
    knownBuckets.retainAll(buckets);
    knownBuckets.addAll(buckets);
    return new Read(
        sm == null ? ShardMap.getDefaultInstance() : parse(sm, ShardMap.parser()),
        List.copyOf(chains),
        Map.copyOf(nodes),
        st == null ? ClusterSettings.getDefaultInstance() : parse(st, ClusterSettings.parser()));
  }

  private void publish(Read r) {
    List<CompletableFuture<ClusterSnapshot>> done = new ArrayList<>();
    ClusterSnapshot s;
    synchronized (waiters) {
      if (r.equals(lastRead)) {
        return;
      }
      lastRead = r;
      s =
          ClusterSnapshot.of(
              current.version() + 1, r.shardMap(), r.chains(), r.nodes(), r.settings());
      current = s;
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (s.version() > w.afterVersion()) {
          done.add(w.future());
          it.remove();
        }
      }
    }
    LOG.debug("cluster view {}", s);
    done.forEach(f -> f.complete(s));
  }

  // ---- buckets -------------------------------------------------------------------------------

  @Override
  public boolean bucketExists(String bucket) {
    if (knownBuckets.contains(bucket)) {
      return true;
    }
    boolean exists = zk(() -> curator.checkExists().forPath(paths.bucket(bucket))) != null;
    if (exists) {
      knownBuckets.add(bucket);
    }
    return exists;
  }

  @Override
  public Bucket createBucket(String bucket, long createdAtMillis) {
    byte[] info =
        BucketInfo.newBuilder()
            .setName(bucket)
            .setCreatedAtMillis(createdAtMillis)
            .build()
            .toByteArray();
    try {
      zk(
          () ->
              curator
                  .create()
                  .creatingParentContainersIfNeeded()
                  .forPath(paths.bucket(bucket), info));
    } catch (ZkFailure e) {
      if (!(e.getCause() instanceof KeeperException.NodeExistsException)) {
        throw e;
      }
      // After a CONNECTION_LOSS the create may have succeeded before Curator retried it: our own
      // record present counts as success.
      byte[] present = data(paths.bucket(bucket));
      if (present == null || !java.util.Arrays.equals(present, info)) {
        throw new BucketExistsException("bucket " + bucket + " already exists");
      }
    }
    knownBuckets.add(bucket);
    return new Bucket(bucket, createdAtMillis);
  }

  @Override
  public List<Bucket> listBuckets() {
    var out = new ArrayList<Bucket>();
    for (String name : children(paths.buckets())) {
      byte[] b = data(paths.bucket(name));
      if (b != null) {
        out.add(new Bucket(name, parse(b, BucketInfo.parser()).getCreatedAtMillis()));
      }
    }
    out.sort((x, y) -> x.name().compareTo(y.name()));
    return out;
  }

  @Override
  public void deleteBucket(String bucket) {
    try {
      zk(() -> curator.delete().forPath(paths.bucket(bucket)));
    } catch (ZkFailure e) {
      if (e.getCause() instanceof KeeperException.NoNodeException) {
        throw new NoSuchBucketException("no such bucket " + bucket, e);
      }
      throw e;
    } finally {
      knownBuckets.remove(bucket);
    }
  }

  // ---- ZooKeeper helpers ---------------------------------------------------------------------

  /** A ZooKeeper call that Curator could not complete; reported as unavailability. */
  private static final class ZkFailure extends CatenaUnavailableException {
    private static final long serialVersionUID = 1L;

    ZkFailure(Throwable cause) {
      super("ZooKeeper: " + cause, cause);
    }
  }

  @FunctionalInterface
  private interface ZkCall<T> {
    T call() throws Exception;
  }

  private static <T> T zk(ZkCall<T> call) {
    try {
      return call.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZkFailure(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) { // Curator declares Exception; every cause is kept and rethrown
      throw new ZkFailure(e);
    }
  }

  private List<String> children(String path) {
    try {
      return zk(() -> curator.getChildren().forPath(path));
    } catch (ZkFailure e) {
      if (e.getCause() instanceof KeeperException.NoNodeException) {
        return List.of();
      }
      throw e;
    }
  }

  private byte[] data(String path) {
    try {
      return zk(() -> curator.getData().forPath(path));
    } catch (ZkFailure e) {
      if (e.getCause() instanceof KeeperException.NoNodeException) {
        return null;
      }
      throw e;
    }
  }

  private static <T> T parse(byte[] b, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      throw new CatenaException("malformed cluster record: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    curator.getConnectionStateListenable().removeListener(connectionListener);
    refresher.shutdownNow();
    try {
      curator
          .watchers()
          .remove(watcher)
          .ofType(org.apache.zookeeper.Watcher.WatcherType.Any)
          .quietly()
          .forPath(paths.root());
    } catch (Exception e) { // best effort on close; the session ends below or is the caller's
      LOG.debug("removing watch: {}", e.toString());
    }
    if (ownsCurator) {
      curator.close();
    }
    synchronized (waiters) {
      waiters.forEach(w -> w.future().cancel(false));
      waiters.clear();
    }
  }
}
