package dev.catena.deploy.node;

import com.google.common.util.concurrent.RateLimiter;
import dev.catena.chain.runtime.RecordIntegrity;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.RecordCheck;
import dev.catena.chain.storage.VersionedValue;
import dev.catena.proto.v1.ChunkRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the metadata records of the chains this node is an active member of, at the scrubber's
 * bounded rate, and checks each: its stored form decodes and its value has the structure its key
 * demands ({@link RecordIntegrity}; the records carry no checksum of their own). A live manifest is
 * also checked against the chunks it names in chains this node is an active member of: each must
 * have its marker and its bytes here.
 *
 * <p>Findings, as metrics: {@code catena_scrub_records_scanned_total}, {@code
 * catena_scrub_records_bad_total{kind=corrupt|missing_chunk}} and {@code
 * catena_scrub_records_unrepaired_total}. A manifest naming a chunk whose bytes are missing is
 * repaired by the chunk pass that follows (the marker says what the bytes must be). A damaged
 * record, or a manifest naming a chunk whose marker is gone, is not repaired here: it is logged and
 * counted as unrepaired, and reads of it fail with a typed {@code CHECKSUM_MISMATCH} (the read
 * decodes the record). Writing a record back from a peer outside the chain's replicated write path
 * could undo a newer write; a rejoin's resync replaces it instead (its bucket digest differs).
 */
public final class MetadataScrubber {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataScrubber.class);
  private static final int PAGE = 256;

  /** What one pass over the metadata found. */
  public record Pass(long records, long bytes, long corrupt, long missingChunks, long unrepaired) {}

  private final LevelDbObjectStore meta;
  private final ChunkStore chunks;
  private final RateLimiter rate;
  private final Counter scanned;
  private final Counter corrupt;
  private final Counter missingChunk;
  private final Counter unrepaired;

  /** A scrubber of {@code meta} that shares {@code rate} (bytes per second) with the chunk pass. */
  public MetadataScrubber(
      LevelDbObjectStore meta, ChunkStore chunks, RateLimiter rate, MeterRegistry registry) {
    this.meta = meta;
    this.chunks = chunks;
    this.rate = rate;
    this.scanned =
        Counter.builder("catena.scrub.records.scanned")
            .description("metadata records re-read and checked")
            .register(registry);
    this.corrupt = bad(registry, "corrupt");
    this.missingChunk = bad(registry, "missing_chunk");
    this.unrepaired =
        Counter.builder("catena.scrub.records.unrepaired")
            .description("bad metadata records the scrubber could not repair")
            .register(registry);
  }

  private static Counter bad(MeterRegistry registry, String kind) {
    return Counter.builder("catena.scrub.records.bad")
        .description("metadata records found bad, by kind")
        .tag("kind", kind)
        .register(registry);
  }

  /** Records checked since start. */
  public long scannedTotal() {
    return (long) scanned.count();
  }

  /** Records found bad (damaged, or naming a missing chunk) since start. */
  public long badTotal() {
    return (long) (corrupt.count() + missingChunk.count());
  }

  /** One pass over every record of the chains in {@code activeChains}. */
  public Pass runPass(Set<Integer> activeChains) {
    long[] c = new long[5];
    for (int chainId : activeChains) {
      byte[] from = new byte[0];
      while (true) {
        List<RecordCheck> page = meta.checkRecords(chainId, from, PAGE);
        for (RecordCheck r : page) {
          check(chainId, r, activeChains, c);
        }
        if (page.size() < PAGE) {
          break;
        }
        byte[] last = page.get(page.size() - 1).key();
        from = Arrays.copyOf(last, last.length + 1); // the next key after it
      }
    }
    return new Pass(c[0], c[1], c[2], c[3], c[4]);
  }

  private void check(int chainId, RecordCheck r, Set<Integer> activeChains, long[] c) {
    rate.acquire(Math.max(1, r.storedBytes()));
    c[0]++;
    c[1] += r.storedBytes();
    scanned.increment();
    Optional<String> damage =
        r.damage().or(() -> RecordIntegrity.damage(r.key(), r.value().orElseThrow()));
    if (damage.isPresent()) {
      c[2]++;
      c[4]++;
      corrupt.increment();
      unrepaired.increment();
      LOG.warn("chain {}: metadata record damaged, not repaired: {}", chainId, damage.get());
      return;
    }
    VersionedValue value = r.value().orElseThrow();
    for (ChunkRef ref : RecordIntegrity.chunkRefs(r.key(), value)) {
      if (!activeChains.contains(ref.getChainId())) {
        continue; // another node's chunk
      }
      boolean marked = live(ref.getChainId(), RecordIntegrity.markerKey(ref.getChunkId()));
      boolean stored = chunks.length(ref.getChunkId()).isPresent();
      if ((marked && stored) || !stillThere(chainId, r.key(), value)) {
        continue; // the object was overwritten or deleted meanwhile: nothing is missing
      }
      c[3]++;
      missingChunk.increment();
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (marked) {
        LOG.warn("{} names chunk {}: its bytes are missing here", key, ref.getChunkId());
      } else {
        c[4]++;
        unrepaired.increment();
        LOG.warn(
            "{} names chunk {}: its marker is missing here, not repaired", key, ref.getChunkId());
      }
    }
  }

  private boolean live(int chainId, byte[] key) {
    Optional<VersionedValue> v = meta.get(chainId, key);
    return v.isPresent() && !v.get().tombstone();
  }

  private boolean stillThere(int chainId, byte[] key, VersionedValue value) {
    return meta.get(chainId, key).filter(value::equals).isPresent();
  }
}
