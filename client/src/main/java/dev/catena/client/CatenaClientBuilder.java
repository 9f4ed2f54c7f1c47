package dev.catena.client;

import dev.catena.client.impl.ClientConfig;
import dev.catena.client.impl.DefaultCatenaClient;
import dev.catena.client.impl.RetryPolicy;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.client.zk.ClusterView;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link CatenaClient}. Either name the ZooKeeper ensemble and cluster ({@link
 * #zookeeper}, {@link #cluster}) and the client opens (and later closes) its own view, or hand it
 * an already open {@link ClusterDirectory} with {@link #clusterView} (not closed by the client).
 *
 * <pre>{@code
 * try (CatenaClient c = CatenaClient.builder().zookeeper("localhost:2181").cluster("catena").build()) {
 *   c.createBucket("photos");
 *   c.putObject("photos", "cat.jpg", bytes);
 * }
 * }</pre>
 */
public final class CatenaClientBuilder {
  private String zookeeper;
  private String cluster = "catena";
  private ClusterDirectory view;
  private Duration sessionTimeout = Duration.ofSeconds(30);
  private Duration connectTimeout = Duration.ofSeconds(15);
  private int inlineThreshold = ClientConfig.DEFAULT.inlineThreshold();
  private int chunkSize = ClientConfig.DEFAULT.chunkSize();
  private int uploadParallelism = ClientConfig.DEFAULT.uploadParallelism();
  private int downloadPrefetch = ClientConfig.DEFAULT.downloadPrefetch();
  private long maxObjectSize = -1;
  private RetryPolicy retry = RetryPolicy.DEFAULT;

  CatenaClientBuilder() {}

  /** ZooKeeper connect string, e.g. {@code "localhost:2181"}. */
  public CatenaClientBuilder zookeeper(String connectString) {
    this.zookeeper = Objects.requireNonNull(connectString, "connectString");
    return this;
  }

  /** Cluster name (default {@code "catena"}). */
  public CatenaClientBuilder cluster(String cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  /** Use an already open view instead of connecting to ZooKeeper (it stays open on close). */
  public CatenaClientBuilder clusterView(ClusterDirectory view) {
    this.view = Objects.requireNonNull(view, "view");
    return this;
  }

  public CatenaClientBuilder sessionTimeout(Duration d) {
    this.sessionTimeout = d;
    return this;
  }

  public CatenaClientBuilder connectTimeout(Duration d) {
    this.connectTimeout = d;
    return this;
  }

  /** Objects up to this size are stored inline in their manifest (default 256 KiB). */
  public CatenaClientBuilder inlineThreshold(int bytes) {
    this.inlineThreshold = bytes;
    return this;
  }

  /** Chunk size of larger objects (default 4 MiB). */
  public CatenaClientBuilder chunkSize(int bytes) {
    this.chunkSize = bytes;
    return this;
  }

  /** Chunks uploading at once per put (default 4). */
  public CatenaClientBuilder uploadParallelism(int n) {
    this.uploadParallelism = n;
    return this;
  }

  /** Chunks fetched ahead while reading (default 1). */
  public CatenaClientBuilder downloadPrefetch(int n) {
    this.downloadPrefetch = n;
    return this;
  }

  /** Largest object accepted (default 10,000 chunks). */
  public CatenaClientBuilder maxObjectSize(long bytes) {
    this.maxObjectSize = bytes;
    return this;
  }

  /** Total time budget of one operation including retries (default 30 s). */
  public CatenaClientBuilder requestTimeout(Duration d) {
    this.retry = retry.withTotalDeadline(d);
    return this;
  }

  /** Attempts per operation (default 40). */
  public CatenaClientBuilder maxAttempts(int n) {
    this.retry = retry.withMaxAttempts(n);
    return this;
  }

  /**
   * Builds the client.
   *
   * @throws IllegalArgumentException if neither a view nor a ZooKeeper address was given, or a
   *     setting is out of range
   * @throws CatenaUnavailableException if ZooKeeper cannot be reached
   */
  public CatenaClient build() {
    var config =
        new ClientConfig(
            inlineThreshold,
            chunkSize,
            uploadParallelism,
            downloadPrefetch,
            maxObjectSize >= 0 ? maxObjectSize : 10_000L * chunkSize,
            retry);
    if (view != null) {
      return DefaultCatenaClient.create(view, false, config);
    }
    if (zookeeper == null) {
      throw new IllegalArgumentException("set zookeeper(...) or clusterView(...)");
    }
    return DefaultCatenaClient.create(
        ClusterView.open(zookeeper, cluster, sessionTimeout, connectTimeout), true, config);
  }
}
