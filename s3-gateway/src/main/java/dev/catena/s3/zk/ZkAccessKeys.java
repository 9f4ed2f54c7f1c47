package dev.catena.s3.zk;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.proto.ClusterPaths;
import dev.catena.proto.v1.S3AccessKeyRecord;
import dev.catena.s3.auth.AccessKey;
import dev.catena.s3.auth.AccessKeyDirectory;
import dev.catena.s3.auth.SecretCipher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 access keys in ZooKeeper under {@code /catena/<cluster>/s3/keys/<id>} ({@link
 * S3AccessKeyRecord}, the secret sealed by {@link SecretCipher}). Administration ({@link #create},
 * {@link #list}, {@link #delete}) talks to ZooKeeper directly; a gateway that calls {@link #start}
 * answers {@link #find} from a {@link CuratorCache} of the keys, so lookups on every request cost
 * no round trip, and a key created or deleted on any machine takes effect on every gateway once its
 * watch fires. A record whose secret does not open with this gateway's cluster key is treated as
 * absent (and logged).
 */
public final class ZkAccessKeys implements AccessKeyDirectory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ZkAccessKeys.class);

  private final CuratorFramework curator;
  private final ClusterPaths paths;
  private final SecretCipher cipher;
  private final Clock clock;
  private final Map<String, AccessKey> cached = new ConcurrentHashMap<>();
  private final boolean ownsCurator;
  private final java.util.concurrent.CountDownLatch initialized =
      new java.util.concurrent.CountDownLatch(1);
  private CuratorCache cache;

  public ZkAccessKeys(CuratorFramework curator, String cluster, SecretCipher cipher, Clock clock) {
    this(curator, false, cluster, cipher, clock);
  }

  private ZkAccessKeys(
      CuratorFramework curator, boolean owns, String cluster, SecretCipher cipher, Clock clock) {
    this.ownsCurator = owns;
    this.curator = curator;
    this.paths = new ClusterPaths(cluster);
    this.cipher = cipher;
    this.clock = clock;
  }

  /**
   * Keys of the cluster at ZooKeeper {@code connectString}, over a ZooKeeper session of their own
   * (closed with them). Waits up to {@code connectTimeout} for the connection. {@code cipher} may
   * be null for a caller that only lists and deletes keys.
   *
   * @throws IllegalStateException if ZooKeeper cannot be reached in time
   */
  public static ZkAccessKeys connect(
      String connectString, String cluster, SecretCipher cipher, java.time.Duration connectTimeout)
      throws InterruptedException {
    CuratorFramework c =
        org.apache.curator.framework.CuratorFrameworkFactory.newClient(
            connectString,
            15_000,
            (int) connectTimeout.toMillis(),
            new org.apache.curator.retry.ExponentialBackoffRetry(100, 5));
    c.start();
    if (!c.blockUntilConnected(
        (int) connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      c.close();
      throw new IllegalStateException("cannot reach ZooKeeper at " + connectString);
    }
    return new ZkAccessKeys(c, true, cluster, cipher, Clock.systemUTC());
  }

  /** Starts the watched cache {@link #find} answers from, and waits until it has loaded. */
  public synchronized ZkAccessKeys start() throws Exception {
    curator.createContainers(paths.s3Keys());
    cache = CuratorCache.build(curator, paths.s3Keys());
    cache
        .listenable()
        .addListener(
            CuratorCacheListener.builder()
                .forCreatesAndChanges((old, now) -> load(now))
                .forDeletes(this::forget)
                .forInitialized(initialized::countDown)
                .build());
    cache.start();
    if (!initialized.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("the access keys did not load from ZooKeeper in 30 s");
    }
    return this;
  }

  @Override
  public Optional<AccessKey> find(String accessKeyId) {
    return Optional.ofNullable(cached.get(accessKeyId));
  }

  /**
   * Creates a key with this id and secret for these buckets ("*" = all).
   *
   * @throws IllegalStateException if the id exists
   */
  public AccessKey create(String id, String secret, List<String> buckets) throws Exception {
    if (cipher == null) {
      throw new IllegalStateException("creating a key needs the cluster key");
    }
    var key = new AccessKey(id, secret, java.util.Set.copyOf(buckets));
    var record =
        S3AccessKeyRecord.newBuilder()
            .setAccessKeyId(id)
            .setSealedSecret(com.google.protobuf.ByteString.copyFrom(cipher.seal(id, secret)))
            .addAllBuckets(buckets)
            .setCreatedAtMillis(clock.millis())
            .build();
    try {
      curator
          .create()
          .creatingParentContainersIfNeeded()
          .forPath(paths.s3Key(id), record.toByteArray());
    } catch (KeeperException.NodeExistsException e) {
      throw new IllegalStateException("access key " + id + " already exists", e);
    }
    return key;
  }

  /** Every key record (without secrets), sorted by id. */
  public List<S3AccessKeyRecord> list() throws Exception {
    if (curator.checkExists().forPath(paths.s3Keys()) == null) {
      return List.of();
    }
    var out = new ArrayList<S3AccessKeyRecord>();
    for (String id : curator.getChildren().forPath(paths.s3Keys()).stream().sorted().toList()) {
      try {
        byte[] data = curator.getData().forPath(paths.s3Key(id));
        out.add(S3AccessKeyRecord.parseFrom(data).toBuilder().clearSealedSecret().build());
      } catch (KeeperException.NoNodeException e) {
        // deleted meanwhile
      }
    }
    return out;
  }

  /** Deletes a key; false if there was none. */
  public boolean delete(String id) throws Exception {
    try {
      curator.delete().forPath(paths.s3Key(id));
      return true;
    } catch (KeeperException.NoNodeException e) {
      return false;
    }
  }

  private void load(ChildData d) {
    String id = idOf(d.getPath());
    if (id == null) {
      return;
    }
    try {
      var r = S3AccessKeyRecord.parseFrom(d.getData());
      String secret = cipher.open(id, r.getSealedSecret().toByteArray());
      cached.put(id, new AccessKey(id, secret, java.util.Set.copyOf(r.getBucketsList())));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      cached.remove(id);
      log.warn("ignoring S3 access key {}: {}", id, e.getMessage());
    }
  }

  private void forget(ChildData d) {
    String id = idOf(d.getPath());
    if (id != null) {
      cached.remove(id);
    }
  }

  private String idOf(String path) {
    String parent = paths.s3Keys() + "/";
    return path.startsWith(parent) && path.length() > parent.length()
        ? path.substring(parent.length())
        : null;
  }

  @Override
  public synchronized void close() {
    if (cache != null) {
      cache.close();
    }
    if (ownsCurator) {
      curator.close();
    }
  }
}
