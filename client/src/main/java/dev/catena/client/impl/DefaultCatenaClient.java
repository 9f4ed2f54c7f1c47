package dev.catena.client.impl;

import dev.catena.client.Bucket;
import dev.catena.client.BucketNotEmptyException;
import dev.catena.client.CatenaClient;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.ChecksumMismatchException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.ListOptions;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.PutOptions;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.client.routing.ClusterSnapshot;
import dev.catena.proto.v1.ListObjectsResponse;
import dev.catena.proto.v1.ObjectManifest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The implementation of {@link CatenaClient}: validation, bucket checks, and orchestration of
 * {@link ChainCalls} (RPCs with retries), {@link ObjectWriter} (put path) and {@link
 * ChunkedInputStream} (get path). Blocking work (ZooKeeper calls, reading a caller's input stream)
 * runs on a client I/O pool, never on gRPC threads.
 */
public final class DefaultCatenaClient implements CatenaClient {
  private final ClusterDirectory directory;
  private final boolean ownsDirectory;
  private final ClientConfig config;
  private final Clock clock;
  private final NodeChannels channels = new NodeChannels();
  private volatile boolean closed;
  private volatile CompletableFuture<ClusterSnapshot> nextView;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService io;
  private final ChainCalls calls;
  private final ObjectWriter writer;
  private final ObjectComposer composer;

  /**
   * @param directory the cluster view (closed with this client iff {@code ownsDirectory})
   * @param config tunables
   * @param clock wall clock for creation times
   * @param random seed source of retry jitter
   * @param versionIds source of object version ids (random UUIDs in production)
   */
  public DefaultCatenaClient(
      ClusterDirectory directory,
      boolean ownsDirectory,
      ClientConfig config,
      Clock clock,
      RandomGenerator random,
      Supplier<String> versionIds) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.ownsDirectory = ownsDirectory;
    this.config = config;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "catena-client-timer"));
    this.io = Executors.newCachedThreadPool(r -> daemon(r, "catena-client-io"));
    Retrier retrier = new Retrier(directory, config.retry(), System::nanoTime, random, scheduler);
    this.calls = new ChainCalls(channels, RequestIds.random(), retrier);
    this.writer = new ObjectWriter(calls, directory, config, clock, versionIds);
    this.composer = new ObjectComposer(calls, directory, config, clock, versionIds);
    connectTo(directory.snapshot());
  }

  /** Keeps a connection open to every live node of each new view (see {@link NodeChannels}). */
  private void connectTo(ClusterSnapshot view) {
    if (closed) {
      return;
    }
    channels.connect(view.nodes().values());
    CompletableFuture<ClusterSnapshot> next = directory.awaitNewer(view.version());
    nextView = next;
    next.thenAcceptAsync(this::connectTo, io);
  }

  /** A client with the system clock, random jitter and random UUID version ids. */
  public static DefaultCatenaClient create(
      ClusterDirectory directory, boolean ownsDirectory, ClientConfig config) {
    return new DefaultCatenaClient(
        directory,
        ownsDirectory,
        config,
        Clock.systemUTC(),
        new SplittableRandom(),
        () -> UUID.randomUUID().toString());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The RPC layer, for tests that replay a request id. */
  public ChainCalls calls() {
    return calls;
  }

  public ClientConfig config() {
    return config;
  }

  // ---- buckets -------------------------------------------------------------------------------

  @Override
  public CompletableFuture<Bucket> createBucketAsync(String bucket) {
    return validated(() -> Validation.checkBucket(bucket))
        .thenApplyAsync(v -> directory.createBucket(bucket, clock.millis()), io);
  }

  @Override
  public CompletableFuture<dev.catena.client.GarbageReport> collectGarbageAsync(
      java.time.Duration grace) {
    if (grace.isNegative()) {
      return CompletableFuture.failedFuture(
          new InvalidRequestException("grace must not be negative: " + grace));
    }
    var collector = new GarbageCollector(calls, this::chainsToScan, clock);
    return CompletableFuture.supplyAsync(() -> collector.run(grace), io);
  }

  @Override
  public CompletableFuture<List<Bucket>> listBucketsAsync() {
    return CompletableFuture.supplyAsync(directory::listBuckets, io);
  }

  /**
   * Deletes the bucket record only if every configured chain lists nothing for it (one key per
   * chain is enough). A put racing the delete may land in a bucket being deleted; its object then
   * stays invisible until the bucket is created again, as with S3's eventual bucket deletes.
   */
  @Override
  public CompletableFuture<Void> deleteBucketAsync(String bucket) {
    return requireBucket(bucket)
        .thenCompose(
            v -> {
              List<CompletableFuture<ListObjectsResponse>> pages = new ArrayList<>();
              for (int chain : chainsToScan()) {
                pages.add(calls.list(chain, bucket, "", "", 1));
              }
              return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                  .thenApply(x -> pages.stream().anyMatch(p -> p.join().getObjectsCount() > 0));
            })
        .thenAcceptAsync(
            nonEmpty -> {
              if (nonEmpty) {
                throw new BucketNotEmptyException("bucket " + bucket + " is not empty");
              }
              directory.deleteBucket(bucket);
            },
            io);
  }

  /**
   * Every configured chain, not only those of the shard map: a chain that lost its shards may still
   * hold objects while they move.
   */
  private List<Integer> chainsToScan() {
    List<Integer> chains = directory.snapshot().chainIds();
    if (chains.isEmpty()) {
      throw new CatenaUnavailableException("no chains in the cluster view");
    }
    return chains;
  }

  private CompletableFuture<Void> requireBucket(String bucket) {
    return validated(() -> Validation.checkBucket(bucket))
        .thenRunAsync(
            () -> {
              if (!directory.bucketExists(bucket)) {
                throw new NoSuchBucketException("no such bucket " + bucket);
              }
            },
            io);
  }

  private CompletableFuture<Void> requireObject(String bucket, String key) {
    return validated(() -> Validation.checkKey(key)).thenCompose(v -> requireBucket(bucket));
  }

  private static CompletableFuture<Void> validated(Runnable check) {
    try {
      check.run();
      return CompletableFuture.completedFuture(null);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- objects -------------------------------------------------------------------------------

  @Override
  public CompletableFuture<ObjectMetadata> putObjectAsync(
      String bucket, String key, byte[] data, PutOptions options) {
    Objects.requireNonNull(data, "data");
    if (data.length <= config.inlineThreshold()) {
      return requireObject(bucket, key)
          .thenCompose(v -> commit(writer.inlineManifest(bucket, key, data, options), options));
    }
    return putObjectAsync(bucket, key, new ByteArrayInputStream(data), data.length, options);
  }

  @Override
  public CompletableFuture<ObjectMetadata> putObjectAsync(
      String bucket, String key, InputStream data, long length, PutOptions options) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(options, "options");
    return requireObject(bucket, key)
        .thenApplyAsync(v -> writer.prepare(bucket, key, data, length, options), io)
        .thenCompose(m -> commit(m, options));
  }

  @Override
  public CompletableFuture<ObjectMetadata> composeObjectAsync(
      String bucket, String key, List<ObjectMetadata> parts, String etag, PutOptions options) {
    Objects.requireNonNull(parts, "parts");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(options, "options");
    return requireObject(bucket, key)
        .thenCompose(v -> composer.prepare(bucket, key, List.copyOf(parts), etag, options))
        .thenCompose(m -> commit(m, options));
  }

  private CompletableFuture<ObjectMetadata> commit(ObjectManifest m, PutOptions options) {
    return calls.putManifest(m, options.fence()).thenApply(r -> Routes.metadata(m));
  }

  @Override
  public CompletableFuture<ObjectContent> getObjectAsync(String bucket, String key) {
    return getObjectAsync(bucket, key, 0, -1);
  }

  @Override
  public CompletableFuture<ObjectContent> getObjectAsync(
      String bucket, String key, long offset, long length) {
    return requireObject(bucket, key)
        .thenCompose(v -> calls.getManifest(bucket, key))
        .thenApply(m -> open(m, offset, length));
  }

  private ObjectContent open(ObjectManifest m, long offset, long length) {
    ChunkPlanner.Range r = ChunkPlanner.resolve(m.getSize(), offset, length);
    ObjectMetadata meta = Routes.metadata(m);
    if (m.getChunksCount() == 0) {
      byte[] data = m.getInlineData().toByteArray();
      if (data.length != m.getSize()
          || (!m.getEtag().isEmpty() && !Checksums.md5Hex(data).equals(m.getEtag()))) {
        throw new ChecksumMismatchException(
            "inline object " + m.getBucket() + "/" + m.getKey() + " failed its MD5 check");
      }
      return new ObjectContent(
          meta,
          r.offset(),
          r.length(),
          new ByteArrayInputStream(data, (int) r.offset(), (int) r.length()));
    }
    var segments = ChunkPlanner.segments(m.getChunksList(), r.offset(), r.length());
    return new ObjectContent(
        meta,
        r.offset(),
        r.length(),
        new ChunkedInputStream(segments, calls::download, config.downloadPrefetch()));
  }

  @Override
  public CompletableFuture<ObjectMetadata> headObjectAsync(String bucket, String key) {
    return requireObject(bucket, key)
        .thenCompose(v -> calls.getManifest(bucket, key))
        .thenApply(Routes::metadata);
  }

  @Override
  public CompletableFuture<Void> deleteObjectAsync(String bucket, String key) {
    return requireObject(bucket, key)
        .thenCompose(v -> calls.deleteObject(bucket, key, java.util.Optional.empty()))
        .thenApply(r -> null);
  }

  @Override
  public CompletableFuture<Void> deleteObjectAsync(
      String bucket, String key, dev.catena.client.Fence fence) {
    return requireObject(bucket, key)
        .thenCompose(v -> calls.deleteObject(bucket, key, java.util.Optional.of(fence)))
        .thenApply(r -> null);
  }

  /** Scatter-gather: every configured chain lists its page; {@link ListMerger} merges. */
  @Override
  public CompletableFuture<ObjectListing> listObjectsAsync(String bucket, ListOptions options) {
    Objects.requireNonNull(options, "options");
    String after;
    try {
      if (options.maxKeys() < 1 || options.maxKeys() > ListOptions.MAX_KEYS) {
        throw new InvalidRequestException("maxKeys must be 1-1000, got " + options.maxKeys());
      }
      after =
          options.continuationToken().map(ContinuationTokens::decode).orElse(options.startAfter());
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    return requireBucket(bucket)
        .thenCompose(
            v -> {
              List<CompletableFuture<ListMerger.Page>> pages = new ArrayList<>();
              for (int chain : chainsToScan()) {
                pages.add(
                    calls
                        .list(chain, bucket, options.prefix(), after, options.maxKeys())
                        .thenApply(
                            resp ->
                                new ListMerger.Page(
                                    resp.getObjectsList().stream().map(Routes::summary).toList(),
                                    resp.getTruncated())));
              }
              return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                  .thenApply(
                      x ->
                          ListMerger.merge(
                              pages.stream().map(CompletableFuture::join).toList(),
                              options.maxKeys()));
            });
  }

  @Override
  public void close() {
    closed = true;
    CompletableFuture<ClusterSnapshot> next = nextView;
    if (next != null) {
      next.cancel(false);
    }
    channels.close();
    scheduler.shutdownNow();
    io.shutdownNow();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsDirectory) {
      directory.close();
    }
  }
}
