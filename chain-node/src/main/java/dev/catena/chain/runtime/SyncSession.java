package dev.catena.chain.runtime;

import dev.catena.chain.storage.ChainSnapshot;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.proto.v1.DedupWindow;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One join (SYNCING membership) of a chain at the storage level.
 *
 * <p>Its <b>baseline</b> is a storage snapshot of what the joiner held when the join began: taken
 * once every mutation submitted before the join is visible, it yields the digests the joiner sends
 * and the keys an install deletes in replaced buckets. Writes forwarded during the join may or may
 * not be in it; they are in {@link #forwarded}, and forwarded keys always win.
 *
 * <p><b>Exactly-once records</b> ({@code d/<client>}, DESIGN §4 invariant 8) are the one kind of
 * key that both sides write for the same client: the snapshot brings the records of requests before
 * the cut, forwarded writes add later ones. Neither may win, they must be merged: until the install
 * ends, forwarded writes leave {@code d/<client>} to the install and are remembered here ({@link
 * #dedupOfForward}); the install's last mutation writes each remembered window merged with what the
 * install left ({@link #finishDedup}); after that, each forwarded write stores its window merged
 * with the last one written, until the runtime has loaded the merged records.
 *
 * <p>{@link #forwarded} and the exactly-once bookkeeping are touched only on the store's submitter
 * thread; the baseline is taken once, on the first thread that asks for it.
 */
final class SyncSession implements AutoCloseable {
  final int chainId;
  final long token;

  /** Keys forwarded writes touched since the join began; submitter thread only. */
  final Set<String> forwarded = new HashSet<>();

  /** Completes once every mutation submitted before the join is applied. */
  final CompletableFuture<Void> ready = new CompletableFuture<>();

  /** Forwarded writes' windows since the join began (cumulative), by client; submitter only. */
  private final Map<String, DedupWindow> forwardedDedup = new HashMap<>();

  /** After the install ended: the window last written per client; submitter thread only. */
  private final Map<String, DedupWindow> writtenDedup = new HashMap<>();

  private boolean installEnded;
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

  /**
   * The exactly-once window a forwarded write of {@code client} must store, given the window built
   * from the records it knew ({@code window}); empty while the install runs (the install writes
   * {@code d/<client>} and {@link #finishDedup} adds this window). Submitter thread only.
   *
   * @param stored reads the stored window of a client (default instance if none)
   */
  Optional<DedupWindow> dedupOfForward(
      String client, DedupWindow window, Function<String, DedupWindow> stored) {
    forwardedDedup.merge(client, window, DedupWindows::merge);
    if (!installEnded) {
      return Optional.empty();
    }
    DedupWindow merged =
        DedupWindows.merge(window, writtenDedup.computeIfAbsent(client, stored::apply));
    writtenDedup.put(client, merged);
    return Optional.of(merged);
  }

  /**
   * Ends the install's part: the windows to store with its last mutation, each forwarded client's
   * window merged with what the install left. Submitter thread only.
   */
  Map<String, DedupWindow> finishDedup(Function<String, DedupWindow> stored) {
    installEnded = true;
    forwardedDedup.forEach(
        (client, w) -> writtenDedup.put(client, DedupWindows.merge(w, stored.apply(client))));
    return Map.copyOf(writtenDedup);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (baseline != null) {
      baseline.snapshot().close();
    }
  }
}
