package dev.catena.chain.runtime;

import dev.catena.chain.storage.ChainSnapshot;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.StoredEntry;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One join (SYNCING membership) of a chain at the storage level.
 *
 * <p>Its <b>baseline</b> is a storage snapshot of what the joiner held when the join began: taken
 * once every mutation submitted before the join is visible, it yields the digests the joiner sends
 * and the keys an install deletes in replaced buckets. Writes forwarded during the join may or may
 * not be in it; they are in {@link #forwarded}, and forwarded keys always win.
 *
 * <p>Exactly-once records need no merging here: each request has its own key ({@link
 * RequestRecords}), so the snapshot's records and those of forwarded writes are disjoint or equal,
 * and a forwarded write's record is in {@link #forwarded} like the key it wrote.
 *
 * <p>{@link #forwarded} is touched only on the store's submitter thread; the baseline is taken
 * once, on the first thread that asks for it.
 */
final class SyncSession implements AutoCloseable {
  final int chainId;
  final long token;

  /** Keys forwarded writes touched since the join began; submitter thread only. */
  final Set<String> forwarded = new HashSet<>();

  /** Completes once every mutation submitted before the join is applied. */
  final CompletableFuture<Void> ready = new CompletableFuture<>();

  private Baseline baseline;
  private boolean closed;

  /** The joiner's data at the start of the join and its digests (empty if it held nothing). */
  record Baseline(ChainSnapshot snapshot, Optional<BucketDigests> digests) {}

  SyncSession(int chainId, long token) {
    this.chainId = chainId;
    this.token = token;
  }

  /** Takes the baseline on first use (one metadata scan); blocks until {@link #ready}. */
  synchronized Baseline baseline(ObjectStore meta) {
    if (closed) {
      throw new IllegalStateException("join " + token + " of chain " + chainId + " ended");
    }
    if (baseline == null) {
      ready.join();
      ChainSnapshot snap = meta.snapshot(chainId);
      var digests = new BucketDigests.Builder(BucketDigests.DEFAULT_BUCKETS);
      try (CloseableIterator<StoredEntry> it = snap.scan(new byte[0], null)) {
        while (it.hasNext()) {
          StoredEntry e = it.next();
          if (!e.value().tombstone()) {
            digests.add(e.key(), e.value().value());
          }
        }
      } catch (RuntimeException e) {
        snap.close();
        throw e;
      }
      // A joiner holding nothing asks for everything and saves the predecessor a digest pass.
      baseline =
          new Baseline(
              snap, digests.records() == 0 ? Optional.empty() : Optional.of(digests.build()));
    }
    return baseline;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (baseline != null) {
      baseline.snapshot().close();
    }
  }
}
