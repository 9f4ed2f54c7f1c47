package dev.catena.tests.cluster;

import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.ChainProgress;
import dev.catena.chain.storage.ChainSnapshot;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.StorageException;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.chain.storage.VersionedValue;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real metadata store whose disk fails on cue: once {@linkplain #failAfter armed}, every mutation
 * after the next {@code n} fails as a dead disk does (EIO), for good. Reads keep working (a failed
 * disk often still reads what the page cache holds).
 */
final class FailingObjectStore implements ObjectStore {
  private final ObjectStore real;
  private final AtomicLong remaining = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong failed = new AtomicLong();

  FailingObjectStore(ObjectStore real) {
    this.real = real;
  }

  /** From now on, {@code n} more mutations succeed and every later one fails. */
  void failAfter(long n) {
    remaining.set(n);
  }

  /** Mutations refused so far. */
  long failedMutations() {
    return failed.get();
  }

  @Override
  public CompletableFuture<Void> apply(ChainMutation mutation) {
    if (remaining.getAndUpdate(r -> r == Long.MAX_VALUE ? r : Math.max(-1, r - 1)) <= 0) {
      failed.incrementAndGet();
      return CompletableFuture.failedFuture(new StorageException("injected EIO on write"));
    }
    return real.apply(mutation);
  }

  @Override
  public Optional<VersionedValue> get(int chainId, byte[] key) {
    return real.get(chainId, key);
  }

  @Override
  public CloseableIterator<StoredEntry> scan(
      int chainId, byte[] fromInclusive, byte[] toExclusiveOrNull) {
    return real.scan(chainId, fromInclusive, toExclusiveOrNull);
  }

  @Override
  public dev.catena.chain.storage.PinnedMetadata pin() {
    return real.pin();
  }

  @Override
  public ChainSnapshot snapshot(int chainId) {
    return real.snapshot(chainId);
  }

  @Override
  public ChainProgress progress(int chainId) {
    return real.progress(chainId);
  }

  @Override
  public Set<Integer> chains() {
    return real.chains();
  }

  @Override
  public void dropChain(int chainId) {
    real.dropChain(chainId);
  }

  @Override
  public void close() {
    real.close();
  }
}
