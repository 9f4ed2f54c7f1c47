package dev.catena.chain.runtime;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.ObjectStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Submits the metadata mutations of a node's chains to its {@link ObjectStore}, each chain's in
 * order, from one submitter thread: a chain's mutation is submitted once the one before it was and
 * once what it waits for (its chunk bytes) is durable, so the store's group commit still batches
 * across writes and chains.
 *
 * <p>Threading: {@link #submitInOrder} and {@link #fail} are called from one thread at a time (the
 * runtime's event loop, or a test); the {@code submit} suppliers, {@link #apply} and everything run
 * {@linkplain #executor() on the executor} run on the submitter thread, one at a time.
 */
final class MetadataSubmitter implements AutoCloseable {
  private final ObjectStore meta;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          new ThreadFactoryBuilder()
              .setNameFormat("catena-persist-submit")
              .setDaemon(true)
              .build());
  // Per chain: completes when the previous mutation has been submitted to the metadata store.
  private final Map<Integer, CompletableFuture<Void>> submitted = new HashMap<>();
  // Submitter thread only: the future of the latest mutation submitted to the metadata store.
  private CompletableFuture<Void> lastApply = CompletableFuture.completedFuture(null);

  MetadataSubmitter(ObjectStore meta) {
    this.meta = meta;
  }

  /**
   * Runs {@code submit} on the submitter thread after {@code ready} and after the chain's previous
   * submission; returns the future of the submitted mutation.
   */
  CompletableFuture<Void> submitInOrder(
      int chainId, CompletableFuture<Void> ready, Supplier<CompletableFuture<Void>> submit) {
    CompletableFuture<Void> prev =
        submitted.getOrDefault(chainId, CompletableFuture.completedFuture(null));
    CompletableFuture<CompletableFuture<Void>> sub =
        prev.thenCombineAsync(ready, (a, b) -> submit.get(), thread);
    submitted.put(chainId, sub.thenApply(f -> null));
    return sub.thenCompose(f -> f);
  }

  /** Every later submission of the chain fails with {@code cause} (fail-stop after a bad write). */
  void fail(int chainId, Throwable cause) {
    submitted.put(chainId, CompletableFuture.failedFuture(cause));
  }

  /** On the submitter thread: submits {@code m} to the store and remembers it as the latest. */
  CompletableFuture<Void> apply(ChainMutation m) {
    CompletableFuture<Void> f = meta.apply(m);
    lastApply = f;
    return f;
  }

  /** On the submitter thread: the future of the latest mutation submitted, of any chain. */
  CompletableFuture<Void> lastApply() {
    return lastApply;
  }

  /** The submitter thread, for work that must be ordered with submissions. */
  Executor executor() {
    return thread;
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
