package dev.catena.deploy.dashboard;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.StatusJson;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's one thread: every interval it reads the cluster status, scrapes the live nodes'
 * {@code /metrics}, feeds the rate sampler, the rate history, the reconfiguration log and the
 * liveness record, and renders the endpoint's document, which HTTP requests then only copy out. So
 * the number of open dashboards never adds load on ZooKeeper or the nodes. {@link #refreshSoon()}
 * (a change in ZooKeeper) re-reads the status at once, without scraping, so that reconfiguration
 * steps published in quick succession are seen one by one where possible.
 *
 * <p>All state below is touched only by this thread; a failed round (ZooKeeper unavailable) keeps
 * the previous document, whose {@code generatedAtMillis} then tells the page that it is stale.
 */
final class DashboardSampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardSampler.class);

  /** Samples kept for the charts: 3 minutes at the default interval of one second. */
  static final int HISTORY_SAMPLES = 180;

  /** Epoch changes kept for "recent reconfigurations". */
  static final int RECONFIGURATIONS = 50;

  /** Rates and p99 are computed over this window. */
  static final Duration RATE_WINDOW = Duration.ofSeconds(5);

  /** A departed node stays on the dashboard (red) for this long. */
  static final Duration DEPARTED_RETENTION = Duration.ofHours(1);

  private final Supplier<ClusterAdmin.Status> status;
  private final NodeScraper scraper;
  private final Clock clock;
  private final Duration interval;
  private final RateSampler sampler;
  private final RateHistory history = new RateHistory(HISTORY_SAMPLES);
  private final ReconfigurationLog reconfigurations = new ReconfigurationLog(RECONFIGURATIONS);
  private final NodeLiveness liveness = new NodeLiveness(DEPARTED_RETENTION);
  private final AtomicReference<byte[]> document = new AtomicReference<>();
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("catena-dashboard").setDaemon(true).build());
  private Map<String, RateSampler.Rates> rates = Map.of();

  /**
   * @param status reads the cluster status (the view {@code cluster status} prints)
   * @param interval between rounds
   */
  DashboardSampler(Supplier<ClusterAdmin.Status> status, Duration interval, Clock clock) {
    this.status = status;
    this.interval = interval;
    this.clock = clock;
    this.scraper = new NodeScraper(interval);
    this.sampler = new RateSampler(RATE_WINDOW, System::nanoTime);
  }

  /** Starts the rounds (the first one at once). */
  void start() {
    thread.scheduleWithFixedDelay(() -> round(true), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-reads the cluster status soon (coalesced), without scraping the nodes. */
  void refreshSoon() {
    if (refreshPending.compareAndSet(false, true)) {
      try {
        thread.execute(
            () -> {
              refreshPending.set(false);
              round(false);
            });
      } catch (RejectedExecutionException closed) {
        // closing: nothing to refresh
      }
    }
  }

  /** The endpoint's latest document (UTF-8 JSON), or null before the first round succeeded. */
  byte[] document() {
    return document.get();
  }

  private void round(boolean scrape) {
    try {
      long now = clock.millis();
      ClusterAdmin.Status s = status.get();
      reconfigurations.observe(s.chains(), now);
      var listed = new LinkedHashMap<String, Boolean>();
      s.nodes().forEach(n -> listed.put(n.nodeId(), n.live()));
      liveness.observe(listed, now);
      if (scrape) {
        scrapeNodes(s, now);
      }
      document.set(
          StatusJson.MAPPER.writeValueAsBytes(
              DashboardView.render(
                  new DashboardView.Inputs(
                      s,
                      rates,
                      liveness,
                      history,
                      reconfigurations.recent(),
                      now,
                      interval.toMillis()))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing
    } catch (RuntimeException e) {
      // ZooKeeper unavailable or a node's answer unreadable: keep the last document this round.
      log.debug("dashboard round failed: {}", e.toString());
    }
  }

  private void scrapeNodes(ClusterAdmin.Status s, long now) throws InterruptedException {
    var admin = new HashMap<String, String>();
    s.nodes().stream()
        .filter(n -> n.live() && !n.adminAddress().isEmpty())
        .forEach(n -> admin.put(n.nodeId(), n.adminAddress()));
    Map<String, String> scraped = scraper.scrape(admin);
    scraped.forEach((node, text) -> sampler.record(node, NodeTraffic.fromExposition(text)));
    sampler.retain(admin.keySet());
    var current = new HashMap<String, RateSampler.Rates>();
    scraped.keySet().forEach(node -> sampler.rates(node).ifPresent(r -> current.put(node, r)));
    rates = Map.copyOf(current);
    history.append(now, rates);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
