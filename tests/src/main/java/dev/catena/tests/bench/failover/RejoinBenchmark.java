package dev.catena.tests.bench.failover;

import com.google.protobuf.ByteString;
import dev.catena.chain.runtime.DurableReplicaStore;
import dev.catena.chain.runtime.NodeFence;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.runtime.SyncListener;
import dev.catena.chain.runtime.WriteCall;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.SegmentChunkStore;
import dev.catena.chain.transport.GrpcPeerTransport;
import dev.catena.chain.transport.NodeServer;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ChunkRef;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Rejoin by difference against a full snapshot and a raw copy, side by side in one run (DESIGN.md
 * §4 "Add a tail" and "Rejoin"). Two storage nodes in this JVM (real LevelDB and segment stores,
 * real gRPC on localhost, no ZooKeeper: configurations are applied by hand):
 *
 * <ol>
 *   <li>n1 alone holds {@code --mib} MiB as objects of one {@code --chunk-kib} chunk each (chunk +
 *       manifest: two keys per object);
 *   <li><b>(a) full snapshot</b>: n2, with an empty data directory, joins as SYNCING; timed from
 *       the configuration to n2's caught-up report;
 *   <li>n2 is promoted, then stopped with its data; while it is down ~1% of the keys change (a new
 *       chunk and manifest for 1 object in 200);
 *   <li><b>(b) rejoin</b>: n2 restarts on its data and joins as SYNCING again;
 *   <li><b>(c) raw copy</b>: the byte count of (a) copied from n1's data directory with {@link
 *       RawCopy}.
 * </ol>
 *
 * <p>Options: {@code --mode rejoin --mib 256 --chunk-kib 1024 --data <dir> --json
 * target/rejoin-benchmark.json --seed 1}.
 */
final class RejoinBenchmark {
  private static final int CHAIN = 0;
  private static final int WINDOW = 8;

  private final Path data;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, NodeInfo> infos = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Long>> caughtUp = new ConcurrentHashMap<>();
  private final Map<Long, long[]> progress = new ConcurrentHashMap<>();
  private long requestSeq;

  private record Node(
      NodeRuntime runtime, NodeServer server, DurableReplicaStore store, GrpcPeerTransport peers) {
    void close() {
      server.close();
      runtime.close();
      peers.close();
      store.close();
    }
  }

  private RejoinBenchmark(Path data) {
    this.data = data;
  }

  static void run(BenchArgs a) throws Exception {
    long total = a.longValue("mib", 256) << 20;
    int chunk = a.intValue("chunk-kib", 1024) << 10;
    Path json = a.path("json", Path.of("target/rejoin-benchmark.json"));
    Path given = a.path("data", null);
    Path data = given != null ? given : Files.createTempDirectory("catena-rejoin");
    try {
      new RejoinBenchmark(data).measure(total, chunk, a.longValue("seed", 1), json);
    } finally {
      if (given == null) {
        BenchFiles.deleteTree(data);
      }
    }
  }

  private void start(String id) {
    Path d = data.resolve(id);
    var store =
        new DurableReplicaStore(
            LevelDbObjectStore.open(d.resolve("meta"), FsyncPolicy.GROUP),
            SegmentChunkStore.open(d.resolve("chunks"), FsyncPolicy.GROUP, 64L << 20));
    var peers = new GrpcPeerTransport();
    var runtime = new NodeRuntime(id, store, peers, NodeFence.withoutSession(id), 256, 10_000);
    var server = NodeServer.start("127.0.0.1", 0, runtime, store, RequestLimits.defaults());
    runtime.setSyncListener(
        new SyncListener() {
          @Override
          public void progress(int chainId, long epoch, long records, long bytes) {
            progress.put(epoch, new long[] {records, bytes});
          }

          @Override
          public void caughtUp(int chainId, long epoch, long lastSeq) {
            long now = System.nanoTime();
            caughtUp.computeIfAbsent(epoch, e -> new CompletableFuture<>()).complete(now);
          }
        });
    nodes.put(id, new Node(runtime, server, store, peers));
    infos.put(
        id,
        NodeInfo.newBuilder().setNodeId(id).setHost("127.0.0.1").setPort(server.port()).build());
  }

  private void configure(long epoch, List<String> active, List<String> syncing) {
    var b = ChainConfig.newBuilder().setChainId(CHAIN).setEpoch(epoch);
    active.forEach(
        n -> b.addMembers(ChainMember.newBuilder().setNodeId(n).setState(MemberState.ACTIVE)));
    syncing.forEach(
        n -> b.addMembers(ChainMember.newBuilder().setNodeId(n).setState(MemberState.SYNCING)));
    nodes.values().forEach(n -> n.runtime.applyConfiguration(infos, List.of(b.build())));
  }

  /** Writes through n1's runtime, at most {@link #WINDOW} in flight. */
  private void write(long epoch, List<WriteOp> ops) {
    var inFlight = new ArrayDeque<CompletableFuture<WriteResult>>();
    for (WriteOp op : ops) {
      if (inFlight.size() >= WINDOW) {
        inFlight.poll().join();
      }
      var f = new CompletableFuture<WriteResult>();
      nodes
          .get("n1")
          .runtime()
          .submitWrite(
              CHAIN,
              epoch,
              op,
              new WriteCall() {
                @Override
                public void committed(WriteResult result) {
                  f.complete(result);
                }

                @Override
                public void failed(CatenaError error) {
                  f.completeExceptionally(new IllegalStateException(error.toString()));
                }
              });
      inFlight.add(f);
    }
    inFlight.forEach(CompletableFuture::join);
  }

  private List<WriteOp> object(SplittableRandom rnd, String key, String version, int size) {
    byte[] bytes = new byte[size];
    rnd.nextBytes(bytes);
    var crc = new CRC32C();
    crc.update(bytes);
    String chunkId = version + "/0";
    WriteOp chunkOp =
        WriteOp.newBuilder()
            .setClientId("bench")
            .setRequestSeq(++requestSeq)
            .setPutChunk(
                PutChunk.newBuilder()
                    .setChunkId(chunkId)
                    .setData(ByteString.copyFrom(bytes))
                    .setCrc32C((int) crc.getValue()))
            .build();
    WriteOp manifest =
        WriteOp.newBuilder()
            .setClientId("bench")
            .setRequestSeq(++requestSeq)
            .setPutManifest(
                ObjectManifest.newBuilder()
                    .setBucket("bench")
                    .setKey(key)
                    .setVersionId(version)
                    .setSize(size)
                    .addChunks(
                        ChunkRef.newBuilder()
                            .setChunkId(chunkId)
                            .setChainId(CHAIN)
                            .setLength(size)
                            .setCrc32C((int) crc.getValue())))
            .build();
    return List.of(chunkOp, manifest);
  }

  /** Waits for n2's caught-up report of {@code epoch}; returns nanos since {@code t0}. */
  private long awaitCaughtUp(long epoch, long t0) throws Exception {
    long done =
        caughtUp.computeIfAbsent(epoch, e -> new CompletableFuture<>()).get(20, TimeUnit.MINUTES);
    return done - t0;
  }

  private void measure(long total, int chunk, long seed, Path json) throws Exception {
    var rnd = new SplittableRandom(seed);
    int objects = (int) Math.max(1, total / chunk);
    try {
      start("n1");
      configure(1, List.of("n1"), List.of());
      long l0 = System.nanoTime();
      for (int i = 0; i < objects; i++) {
        write(1, object(rnd, "obj-" + i, "v1-" + i, chunk));
      }
      System.out.printf(
          "loaded %d objects (%d MiB) in %.1f s%n",
          objects, (long) objects * chunk >> 20, (System.nanoTime() - l0) / 1e9);

      start("n2");
      long t0 = System.nanoTime();
      configure(2, List.of("n1"), List.of("n2"));
      long fullNanos = awaitCaughtUp(2, t0);
      long[] full = progress.get(2L);
      System.out.printf("(a) full snapshot: %.2f s%n", fullNanos / 1e9);

      configure(3, List.of("n1", "n2"), List.of());
      nodes.remove("n2").close();
      configure(4, List.of("n1"), List.of());
      int changed = Math.max(1, objects / 200);
      for (int i = 0; i < changed; i++) {
        int k = rnd.nextInt(objects);
        write(4, object(rnd, "obj-" + k, "v2-" + k + "-" + i, chunk));
      }
      int keys = 2 * objects;
      System.out.printf("changed %d of %d keys while n2 was down%n", 2 * changed, keys);

      start("n2");
      long t1 = System.nanoTime();
      configure(5, List.of("n1"), List.of("n2"));
      long rejoinNanos = awaitCaughtUp(5, t1);
      long[] rejoin = progress.getOrDefault(5L, new long[2]);
      System.out.printf("(b) rejoin: %.2f s%n", rejoinNanos / 1e9);

      RawCopy.Result raw = RawCopy.copy(data.resolve("n1"), data.resolve("rawcopy"), full[1]);
      report(objects, chunk, keys, 2 * changed, fullNanos, full, rejoinNanos, rejoin, raw, json);
    } finally {
      nodes.values().forEach(Node::close);
    }
  }

  private static void report(
      int objects,
      int chunk,
      int keys,
      int changedKeys,
      long fullNanos,
      long[] full,
      long rejoinNanos,
      long[] rejoin,
      RawCopy.Result raw,
      Path json)
      throws java.io.IOException {
    var table = new MarkdownTable("", "time", "records sent", "bytes sent", "MiB/s", "× raw copy");
    table.row(
        "(a) full snapshot, empty joiner",
        secs(fullNanos),
        full[0],
        mib(full[1]),
        String.format("%.1f", rate(full[1], fullNanos)),
        String.format("%.2f", (double) fullNanos / raw.nanos()));
    table.row(
        "(b) rejoin after restart, " + changedKeys + " of " + keys + " keys changed",
        secs(rejoinNanos),
        rejoin[0],
        mib(rejoin[1]),
        String.format("%.1f", rate(rejoin[1], rejoinNanos)),
        String.format("%.2f", (double) rejoinNanos / raw.nanos()));
    table.row(
        "(c) raw copy (transferTo + fsync), bytes of (a)",
        secs(raw.nanos()),
        raw.files() + " files",
        mib(raw.bytes()),
        String.format("%.1f", rate(raw.bytes(), raw.nanos())),
        "1.00");
    System.out.println();
    System.out.println(table.render());
    var out = new LinkedHashMap<String, Object>();
    out.put("benchmark", "rejoin");
    out.put("objects", objects);
    out.put("chunkBytes", chunk);
    out.put("keys", keys);
    out.put("changedKeys", changedKeys);
    out.put("fullSeconds", fullNanos / 1e9);
    out.put("fullRecords", full[0]);
    out.put("fullBytes", full[1]);
    out.put("rejoinSeconds", rejoinNanos / 1e9);
    out.put("rejoinRecords", rejoin[0]);
    out.put("rejoinBytes", rejoin[1]);
    out.put("rawCopySeconds", raw.nanos() / 1e9);
    out.put("rawCopyBytes", raw.bytes());
    out.put("ratioFullToRaw", (double) fullNanos / raw.nanos());
    out.put("ratioRejoinToRaw", (double) rejoinNanos / raw.nanos());
    BenchFiles.writeReport(json, Json.write(out));
    System.out.println("JSON: " + json.toAbsolutePath());
  }

  private static String secs(long nanos) {
    return String.format("%.2f s", nanos / 1e9);
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  private static double rate(long bytes, long nanos) {
    return bytes / 1048576.0 / (nanos / 1e9);
  }
}
