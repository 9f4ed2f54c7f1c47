package dev.catena.deploy.node;

import com.google.common.util.concurrent.RateLimiter;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.chain.runtime.ChunkIntegrity;
import dev.catena.chain.runtime.ReplicaStore;
import dev.catena.chain.storage.ChecksumMismatchException;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.NoSuchChunkException;
import dev.catena.chain.storage.StorageException;
import dev.catena.proto.v1.ChunkInfo;
import dev.catena.proto.v1.ChunkMeta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads every chunk this node holds for its chains in the background, at a bounded rate, and
 * checks it against its chain's marker (length and CRC32C; the segment records' own CRCs are
 * checked by the read). A chunk whose bytes are bad or missing is fetched from a chain peer that
 * holds a good copy ({@link ChunkSource}), verified against the marker, and stored in place of the
 * bad copy. Meanwhile reads of the bad copy fail with a typed checksum error (the segment CRC), so
 * they never return bad bytes. Each pass first re-reads the chains' metadata records ({@link
 * MetadataScrubber}, same rate bound), so chunks a manifest names but whose bytes are missing are
 * found there and repaired by the chunk pass that follows.
 *
 * <p>Counts, as metrics: {@code catena_scrub_chunks_scanned_total}, {@code
 * catena_scrub_bytes_scanned_total}, {@code catena_scrub_chunks_bad_total{kind=corrupt|missing}},
 * {@code catena_scrub_chunks_repaired_total}, {@code catena_scrub_chunks_unrepaired_total}.
 */
public final class ChunkScrubber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkScrubber.class);
  private static final int PAGE = 256;

  /** Where a good copy of a chunk comes from: a peer in the chunk's chain. */
  @FunctionalInterface
  public interface ChunkSource {
    /** The chunk's bytes as a peer of chain {@code chainId} holds them, or empty if none can. */
    Optional<ByteString> fetch(int chainId, String chunkId);
  }

  /** What one pass found and did: its chunk counts and its metadata pass's. */
  public record Pass(
      long scanned,
      long bytes,
      long corrupt,
      long missing,
      long repaired,
      long unrepaired,
      MetadataScrubber.Pass metadata) {}

  private final ReplicaStore store;
  private final ChunkStore chunks;
  private final Supplier<List<ReplicaStatus>> chains;
  private final ChunkSource peers;
  private final RateLimiter rate;
  private final MetadataScrubber metadata;
  private final Counter scanned;
  private final Counter bytes;
  private final Counter corrupt;
  private final Counter missing;
  private final Counter repaired;
  private final Counter unrepaired;
  private final AtomicLong passes = new AtomicLong();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("catena-scrubber").setDaemon(true).build());

  /**
   * @param meta the metadata records behind {@code store}, re-read by the metadata pass
   * @param chains the replicas of this node (chains it scrubs: those it is an active member of)
   * @param bytesPerSecond bound on the bytes (chunks and records) re-read per second
   */
  public ChunkScrubber(
      ReplicaStore store,
      LevelDbObjectStore meta,
      ChunkStore chunks,
      Supplier<List<ReplicaStatus>> chains,
      ChunkSource peers,
      long bytesPerSecond,
      MeterRegistry registry) {
    this.store = store;
    this.chunks = chunks;
    this.chains = chains;
    this.peers = peers;
    this.rate = RateLimiter.create(bytesPerSecond);
    this.metadata = new MetadataScrubber(meta, chunks, rate, registry);
    this.scanned = counter(registry, "catena.scrub.chunks.scanned", "chunks re-read and checked");
    this.bytes = counter(registry, "catena.scrub.bytes.scanned", "chunk bytes re-read");
    this.corrupt =
        Counter.builder("catena.scrub.chunks.bad")
            .description("chunks found bad, by kind")
            .tag("kind", "corrupt")
            .register(registry);
    this.missing =
        Counter.builder("catena.scrub.chunks.bad")
            .description("chunks found bad, by kind")
            .tag("kind", "missing")
            .register(registry);
    this.repaired = counter(registry, "catena.scrub.chunks.repaired", "bad chunks repaired");
    this.unrepaired =
        counter(registry, "catena.scrub.chunks.unrepaired", "bad chunks no peer could repair");
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  /** Runs a pass every {@code interval} (after the previous one ends) on a background thread. */
  public void start(Duration interval) {
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            Pass p = runPass();
            if (p.corrupt() + p.missing() + p.metadata().corrupt() + p.metadata().missingChunks()
                > 0) {
              LOG.warn("scrub pass: {}", p);
            }
          } catch (RuntimeException e) {
            LOG.warn("scrub pass failed: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Chunks checked since start. */
  public long scannedTotal() {
    return (long) scanned.count();
  }

  /** Chunks found corrupt or missing since start. */
  public long badTotal() {
    return (long) (corrupt.count() + missing.count());
  }

  /** Bad chunks repaired from a peer since start. */
  public long repairedTotal() {
    return (long) repaired.count();
  }

  /** The metadata pass (its counts since start). */
  public MetadataScrubber metadata() {
    return metadata;
  }

  /** Passes completed. */
  public long passes() {
    return passes.get();
  }

  /**
   * One pass over the metadata records, then every chunk, of every chain this node is an active
   * member of.
   */
  public synchronized Pass runPass() {
    long[] c = new long[6];
    // A joiner's records and chunks arrive by snapshot; it verifies chunks then.
    List<ReplicaStatus> active =
        chains.get().stream()
            .filter(r -> r.role() != Role.NOT_MEMBER && r.role() != Role.SYNCING)
            .toList();
    MetadataScrubber.Pass records =
        metadata.runPass(
            active.stream().map(ReplicaStatus::chainId).collect(Collectors.toUnmodifiableSet()));
    for (ReplicaStatus r : active) {
      try {
        scanChunks(r.chainId(), c);
      } catch (StorageException e) {
        // A marker that does not decode: the metadata pass has counted it; the chain's other
        // chunks wait for the next pass after it is replaced, the other chains go on.
        LOG.warn(
            "chain {}: chunk scrub stopped at a damaged record: {}", r.chainId(), e.toString());
      }
    }
    passes.incrementAndGet();
    return new Pass(c[0], c[1], c[2], c[3], c[4], c[5], records);
  }

  private void scanChunks(int chainId, long[] c) {
    String after = "";
    while (true) {
      List<ChunkInfo> page = store.listChunks(chainId, after, PAGE);
      for (ChunkInfo info : page) {
        check(chainId, info, c);
      }
      if (page.size() < PAGE) {
        return;
      }
      after = page.get(page.size() - 1).getChunkId();
    }
  }

  private void check(int chainId, ChunkInfo info, long[] c) {
    String id = info.getChunkId();
    Optional<ChunkMeta> meta = store.chunkMeta(chainId, id);
    if (meta.isEmpty()) {
      return; // deleted since listed, or a marker without a checksum: nothing to compare
    }
    int length = Math.toIntExact(meta.get().getLength());
    if (length > 0) {
      rate.acquire(length);
    }
    c[0]++;
    scanned.increment();
    boolean bad;
    boolean absent = chunks.length(id).isEmpty();
    if (absent) {
      bad = true;
    } else {
      try {
        ByteString data = ByteString.copyFrom(store.readChunk(id, 0, length));
        c[1] += length;
        bytes.increment(length);
        bad = !matches(meta.get(), data);
      } catch (ChecksumMismatchException | NoSuchChunkException e) {
        bad = true;
      } catch (dev.catena.chain.storage.InvalidRangeException e) {
        bad = true; // stored shorter than its marker says
      }
    }
    if (!bad) {
      return;
    }
    (absent ? missing : corrupt).increment();
    c[absent ? 3 : 2]++;
    if (repair(chainId, id, meta.get(), absent)) {
      c[4]++;
      repaired.increment();
      LOG.warn("chunk {} of chain {} was {}: repaired from a peer", id, chainId, kind(absent));
    } else {
      c[5]++;
      unrepaired.increment();
      LOG.warn("chunk {} of chain {} is {}: no peer could repair it", id, chainId, kind(absent));
    }
  }

  private static String kind(boolean absent) {
    return absent ? "missing" : "corrupt";
  }

  private static boolean matches(ChunkMeta meta, ByteString data) {
    return data.size() == meta.getLength() && ChunkIntegrity.crc32c(data) == meta.getCrc32C();
  }

  private boolean repair(int chainId, String id, ChunkMeta meta, boolean absent) {
    Optional<ByteString> good;
    try {
      good = peers.fetch(chainId, id);
    } catch (RuntimeException e) {
      LOG.debug("fetching chunk {} from a peer failed: {}", id, e.toString());
      return false;
    }
    if (good.isEmpty() || !matches(meta, good.get())) {
      return false;
    }
    try {
      if (!absent) {
        chunks.delete(id);
      }
      chunks.write(id, good.get().asReadOnlyByteBuffer()).join();
      return true;
    } catch (StorageException | java.util.concurrent.CompletionException e) {
      LOG.warn("storing the repaired chunk {} failed: {}", id, e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
