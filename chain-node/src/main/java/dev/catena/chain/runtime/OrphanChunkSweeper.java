package dev.catena.chain.runtime;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes chunk bytes on this node that no chain's marker names (resync rollbacks leave them).
 * Bytes are written before the marker that makes them visible, so a chunk is deleted only if it was
 * an orphan at two passes {@code interval} apart and no marker names it at the moment of deletion;
 * an in-flight write gets its marker well within one interval.
 */
public final class OrphanChunkSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrphanChunkSweeper.class);

  private final DurableReplicaStore store;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("catena-orphans").setDaemon(true).build());
  private final AtomicLong deleted = new AtomicLong();
  private Set<String> candidates = Set.of(); // sweeper thread only

  /** Starts sweeping every {@code interval}. */
  public OrphanChunkSweeper(DurableReplicaStore store, Duration interval) {
    this.store = store;
    thread.scheduleWithFixedDelay(
        this::sweepQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Orphan chunks deleted so far. */
  public long deleted() {
    return deleted.get();
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("orphan chunk sweep failed; retrying next interval", e);
    }
  }

  /** One pass: deletes the candidates of the previous pass that are still orphans. */
  void sweep() {
    Set<String> now = store.orphanChunks();
    var confirmed = new HashSet<>(candidates);
    confirmed.retainAll(now);
    for (String id : confirmed) {
      if (store.deleteOrphanChunk(id)) {
        deleted.incrementAndGet();
      }
    }
    now.removeAll(confirmed);
    candidates = now;
    if (!confirmed.isEmpty()) {
      log.info("deleted {} orphan chunks", confirmed.size());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
