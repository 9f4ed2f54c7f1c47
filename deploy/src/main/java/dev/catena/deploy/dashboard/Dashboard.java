package dev.catena.deploy.dashboard;

import com.sun.net.httpserver.HttpHandler;
import dev.catena.deploy.zk.ClusterAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator dashboard the manager serves on its admin port (DESIGN §11): a page ({@code /}, with
 * a vendored uPlot for the charts) that polls {@code /api/cluster} once a second and redraws
 * itself. This class wires the sampler to the two HTTP routes; the manager adds them to its {@code
 * AdminServer} and calls {@link #refreshSoon()} when ZooKeeper reports a change.
 */
public final class Dashboard implements AutoCloseable {
  /** Between the sampler's rounds, and the page's polls. */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  private final DashboardSampler sampler;

  private Dashboard(DashboardSampler sampler) {
    this.sampler = sampler;
  }

  /**
   * Starts sampling.
   *
   * @param status reads the cluster status (the view {@code cluster status} prints)
   */
  public static Dashboard start(Supplier<ClusterAdmin.Status> status) {
    var sampler = new DashboardSampler(status, INTERVAL, Clock.systemUTC());
    sampler.start();
    return new Dashboard(sampler);
  }

  /** The routes to serve: the JSON endpoint and the page with its files. */
  public Map<String, HttpHandler> routes() {
    return Map.of(
        DashboardApi.PATH,
        new DashboardApi(sampler::document),
        "/",
        new StaticResources("dashboard"));
  }

  /** Re-reads the cluster status soon (a change in ZooKeeper was reported). */
  public void refreshSoon() {
    sampler.refreshSoon();
  }

  @Override
  public void close() {
    sampler.close();
  }
}
