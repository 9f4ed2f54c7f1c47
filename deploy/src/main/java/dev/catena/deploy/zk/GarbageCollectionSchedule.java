package dev.catena.deploy.zk;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.client.CatenaClient;
import dev.catena.client.GarbageReport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a garbage-collection pass ({@link CatenaClient#collectGarbageAsync}) every {@code interval}
 * while this manager is the active coordinator, so only one manager collects at a time. The client
 * is opened on the first pass and kept. A failed pass is logged and retried at the next interval.
 */
final class GarbageCollectionSchedule implements AutoCloseable {
  /** Between passes. */
  static final Duration INTERVAL = Duration.ofMinutes(10);

  /** Chunks younger than this are spared (far above {@code GarbagePlan.MAX_PUT_MILLIS}). */
  static final Duration GRACE = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(GarbageCollectionSchedule.class);

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("catena-gc").setDaemon(true).build());
  private final BooleanSupplier active;
  private final Supplier<CatenaClient> clients;
  private CatenaClient client; // gc thread only

  GarbageCollectionSchedule(BooleanSupplier active, Supplier<CatenaClient> clients) {
    this.active = active;
    this.clients = clients;
    thread.scheduleWithFixedDelay(
        this::pass, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pass() {
    if (!active.getAsBoolean()) {
      return;
    }
    try {
      if (client == null) {
        client = clients.get();
      }
      GarbageReport r = client.collectGarbage(GRACE);
      log.info(
          "garbage collection: {} of {} chunks deleted ({} bytes), {} bytes unreferenced but"
              + " younger than {}",
          r.chunksDeleted(),
          r.chunksStored(),
          r.bytesDeleted(),
          r.bytesUnreferencedYoung(),
          GRACE);
    } catch (RuntimeException e) {
      log.warn("garbage collection pass failed; retrying in {}", INTERVAL, e);
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
    if (client != null) {
      client.close();
    }
  }
}
