package dev.catena.deploy.node;

import dev.catena.chain.runtime.DurableReplicaStore;
import dev.catena.chain.runtime.NodeFence;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.OrphanChunkSweeper;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.storage.CompactionScheduler;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.chain.transport.GrpcPeerTransport;
import dev.catena.chain.transport.NodeServer;
import dev.catena.deploy.metrics.AdminServer;
import dev.catena.deploy.metrics.CatchUpMetrics;
import dev.catena.deploy.metrics.NodeMetrics;
import dev.catena.deploy.metrics.ProcessMetrics;
import dev.catena.deploy.transport.GrpcMetrics;
import dev.catena.deploy.transport.PeerChunkSource;
import dev.catena.deploy.transport.SnapshotSendMetrics;
import dev.catena.deploy.zk.ZkMembership;
import dev.catena.proto.v1.NodeInfo;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One storage node: storage engine, event-loop runtime, gRPC server, ZooKeeper membership and (with
 * an admin port) the admin endpoint serving {@code /metrics} and {@code /healthz}, started in
 * dependency order and closed in reverse.
 */
public final class StorageNode implements AutoCloseable {
  /** Writes in flight per chain at the head. */
  public static final int MAX_PENDING_PER_CHAIN = 1024;

  /** Client calls waiting inside the runtime. */
  public static final int MAX_QUEUED_CALLS = 20_000;

  private static final long SEGMENT_BYTES = 256L << 20;

  private final DurableReplicaStore store;
  private final GrpcPeerTransport peers;
  private final NodeRuntime runtime;
  private final NodeServer server;
  private final ZkMembership membership;
  private final CompactionScheduler compaction;
  private final SegmentChunkStore chunks;
  private final LevelDbObjectStore meta;
  private final OrphanChunkSweeper orphans;
  private final ProcessMetrics metrics;
  private final AdminServer admin; // null without an admin port
  private final ChunkScrubber scrubber;
  private final PeerChunkSource scrubSource;

  /** Between the end of one scrub pass and the start of the next. */
  public static final java.time.Duration SCRUB_INTERVAL = java.time.Duration.ofHours(1);

  private final java.util.concurrent.ScheduledExecutorService stats =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          new com.google.common.util.concurrent.ThreadFactoryBuilder()
              .setNameFormat("catena-stats")
              .setDaemon(true)
              .build());

  /** Between passes of the orphan chunk sweep (bytes that resync rollbacks left behind). */
  private static final java.time.Duration ORPHAN_SWEEP_INTERVAL = java.time.Duration.ofMinutes(10);

  private StorageNode(
      DurableReplicaStore store,
      GrpcPeerTransport peers,
      NodeRuntime runtime,
      NodeServer server,
      ZkMembership membership,
      CompactionScheduler compaction,
      SegmentChunkStore chunks,
      LevelDbObjectStore meta,
      OrphanChunkSweeper orphans,
      ProcessMetrics metrics,
      AdminServer admin,
      ChunkScrubber scrubber,
      PeerChunkSource scrubSource) {
    this.store = store;
    this.peers = peers;
    this.runtime = runtime;
    this.server = server;
    this.membership = membership;
    this.compaction = compaction;
    this.chunks = chunks;
    this.meta = meta;
    this.orphans = orphans;
    this.metrics = metrics;
    this.admin = admin;
    this.scrubber = scrubber;
    this.scrubSource = scrubSource;
  }

  /** Publishes this node's storage figures for {@code cluster status}; failures wait a round. */
  private void publishStats() {
    try {
      membership.publishStorageStats(
          dev.catena.proto.v1.NodeStorageStats.newBuilder()
              .setChunkBytes(chunks.diskBytes())
              .setReclaimableBytes(chunks.deadBytes())
              .setReclaimedBytes(compaction.bytesReclaimed())
              .setOrphanChunksDeleted(orphans.deleted())
              .setScrubChunksScanned(scrubber.scannedTotal())
              .setScrubChunksBad(scrubber.badTotal())
              .setScrubChunksRepaired(scrubber.repairedTotal())
              .setScrubRecordsScanned(scrubber.metadata().scannedTotal())
              .setScrubRecordsBad(scrubber.metadata().badTotal())
              .setUpdatedAtMillis(System.currentTimeMillis())
              .build());
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(StorageNode.class)
          .debug("storage figures not published: {}", e.toString());
    }
  }

  /** Bytes of chunk segment files on disk (live and not yet compacted). */
  public long chunkDiskBytes() {
    return chunks.diskBytes();
  }

  /** Background compaction of this node's chunk segments. */
  public CompactionScheduler compaction() {
    return compaction;
  }

  /**
   * Storage settings below the node's options, with production defaults.
   *
   * @param wrapMetadata applied to the metadata store before use (fault-injection tests wrap it in
   *     a store whose disk fails)
   * @param segmentBytes size at which chunk segment files roll
   * @param compactionInterval time between background compaction passes
   * @param compactionBytesPerSecond average bound on the bytes compaction copies
   * @param statsInterval between publications of the node's storage figures
   */
  public record Tuning(
      UnaryOperator<ObjectStore> wrapMetadata,
      long segmentBytes,
      java.time.Duration compactionInterval,
      long compactionBytesPerSecond,
      java.time.Duration statsInterval) {
    /** 256 MiB segments, a compaction pass every minute at up to 32 MiB/s, figures every 10 s. */
    public static final Tuning DEFAULT =
        new Tuning(
            UnaryOperator.identity(),
            SEGMENT_BYTES,
            java.time.Duration.ofMinutes(1),
            32L << 20,
            java.time.Duration.ofSeconds(10));
  }

  /** Opens storage, starts serving and registers with the cluster. */
  public static StorageNode start(NodeOptions o) {
    return start(o, Tuning.DEFAULT);
  }

  /** Same as {@link #start(NodeOptions)} with other storage settings. */
  public static StorageNode start(NodeOptions o, Tuning t) {
    var metrics = new ProcessMetrics();
    var chunks = SegmentChunkStore.open(o.dataDir().resolve("chunks"), o.fsync(), t.segmentBytes());
    var meta = LevelDbObjectStore.open(o.dataDir().resolve("meta"), o.fsync());
    var store = new DurableReplicaStore(t.wrapMetadata().apply(meta), chunks);
    var compaction =
        new CompactionScheduler(chunks, t.compactionInterval(), t.compactionBytesPerSecond());
    var orphans = new OrphanChunkSweeper(store, ORPHAN_SWEEP_INTERVAL);
    var peers = new GrpcPeerTransport();
    var lease = new AtomicReference<ZkMembership>();
    var fence = new NodeFence(o.nodeId(), () -> lease.get() != null && lease.get().getAsBoolean());
    var runtime =
        new NodeRuntime(o.nodeId(), store, peers, fence, MAX_PENDING_PER_CHAIN, MAX_QUEUED_CALLS);
    var nodeMetrics = new NodeMetrics(metrics.registry(), runtime::status, fence::refusal);
    chunks.observeCommits(nodeMetrics.commitObserver("chunks"));
    meta.observeCommits(nodeMetrics.commitObserver("metadata"));
    var server =
        NodeServer.start(
            o.host(),
            o.port(),
            runtime,
            store,
            RequestLimits.defaults(),
            java.util.List.of(
                GrpcMetrics.serverInterceptor(metrics.registry()),
                new SnapshotSendMetrics(metrics.registry())));
    io.micrometer.core.instrument.Gauge.builder(
            "catena.node.uploads.in.flight.bytes",
            server.uploads(),
            dev.catena.chain.transport.UploadBudget::reservedBytes)
        .description("chunk upload bytes held in memory; beyond the budget uploads get OVERLOADED")
        .register(metrics.registry());
    io.micrometer.core.instrument.Gauge.builder(
            "catena.node.uploads.budget.bytes",
            server.uploads(),
            dev.catena.chain.transport.UploadBudget::capacityBytes)
        .description("bound on chunk upload bytes held in memory at once")
        .register(metrics.registry());
    // Before registering, so that the registration can name the admin port (the manager's
    // dashboard scrapes it); /healthz answers 503 until the lease is valid.
    AdminServer admin =
        o.adminPort() < 0
            ? null
            : AdminServer.start(
                o.host(),
                o.adminPort(),
                metrics.registry(),
                nodeMetrics::refresh,
                nodeMetrics::health);
    var self =
        NodeInfo.newBuilder()
            .setNodeId(o.nodeId())
            .setHost(o.host())
            .setPort(server.port())
            .setCapacityBytes(o.dataDir().toFile().getUsableSpace())
            .setAdminPort(admin == null ? 0 : admin.port())
            .build();
    lease.set(
        ZkMembership.start(
            o.zookeeper(),
            o.cluster(),
            self,
            o.sessionTimeout(),
            runtime,
            fence,
            new CatchUpMetrics(metrics.registry())));
    lease.get().bindSessionMetrics(metrics.registry());
    var scrubSource = new PeerChunkSource(o.nodeId(), lease.get()::configuration);
    var scrubber =
        new ChunkScrubber(
            store,
            meta,
            chunks,
            runtime::status,
            scrubSource,
            o.scrubBytesPerSecond(),
            metrics.registry());
    scrubber.start(SCRUB_INTERVAL);
    var node =
        new StorageNode(
            store,
            peers,
            runtime,
            server,
            lease.get(),
            compaction,
            chunks,
            meta,
            orphans,
            metrics,
            admin,
            scrubber,
            scrubSource);
    node.stats.scheduleWithFixedDelay(
        node::publishStats,
        0,
        t.statsInterval().toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
    return node;
  }

  public int port() {
    return server.port();
  }

  public NodeRuntime runtime() {
    return runtime;
  }

  /** The node's chunk store (for tools and tests: inspect or damage the bytes it holds). */
  public dev.catena.chain.storage.ChunkStore chunkStore() {
    return chunks;
  }

  /**
   * The node's metadata store as opened, below any {@link Tuning#wrapMetadata} wrapper (for tools
   * and tests: inspect or damage the records it holds).
   */
  public LevelDbObjectStore metadataStore() {
    return meta;
  }

  /** The background chunk scrubber ({@link ChunkScrubber#runPass()} runs a pass now). */
  public ChunkScrubber scrubber() {
    return scrubber;
  }

  /** The port of the admin endpoint ({@code /metrics}, {@code /healthz}); -1 if there is none. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    scrubber.close();
    scrubSource.close();
    stats.shutdownNow();
    membership.close();
    server.close();
    peers.close();
    runtime.close();
    orphans.close();
    compaction.close();
    store.close();
    metrics.close();
  }
}
