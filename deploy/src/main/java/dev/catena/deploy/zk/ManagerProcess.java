package dev.catena.deploy.zk;

import dev.catena.config.ClusterChange;
import dev.catena.config.ClusterExistsException;
import dev.catena.config.Coordinator;
import dev.catena.config.Reconfigurer;
import dev.catena.config.Subscription;
import dev.catena.config.zk.CuratorClients;
import dev.catena.config.zk.ZkClusterStore;
import dev.catena.config.zk.ZkLeaderElection;
import dev.catena.deploy.dashboard.Dashboard;
import dev.catena.deploy.metrics.AdminServer;
import dev.catena.deploy.metrics.ProcessMetrics;
import dev.catena.proto.v1.ClusterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;

/**
 * A coordinator ("manager") for one cluster: creates the cluster record if it does not exist yet,
 * then takes part in leader election; the active one bootstraps the chain tables and then runs the
 * {@link Reconfigurer}: failed members are cut out after their session expires, spares join as
 * SYNCING tails and are promoted once caught up, and roles are rebalanced. The active one also runs
 * lazy chunk garbage collection every ten minutes ({@link GarbageCollectionSchedule}). With an
 * admin port, every manager (active or standby) serves the operator {@link Dashboard} there.
 */
public final class ManagerProcess implements AutoCloseable {
  private final CuratorFramework client;
  private final Coordinator coordinator;
  private final GarbageCollectionSchedule gc;
  private final ProcessMetrics metrics;
  private final AdminServer admin; // null without an admin port
  private final Dashboard dashboard; // null without an admin port
  private final Subscription dashboardWatch; // null without an admin port

  private ManagerProcess(
      CuratorFramework client,
      Coordinator coordinator,
      GarbageCollectionSchedule gc,
      ProcessMetrics metrics,
      AdminServer admin,
      Dashboard dashboard,
      Subscription dashboardWatch) {
    this.client = client;
    this.coordinator = coordinator;
    this.gc = gc;
    this.metrics = metrics;
    this.admin = admin;
    this.dashboard = dashboard;
    this.dashboardWatch = dashboardWatch;
  }

  /**
   * @param settings used only when the cluster does not exist yet
   * @param expectedNodes nodes that must register before the first chain table is published
   */
  public static ManagerProcess start(
      String zookeeper,
      String cluster,
      String managerId,
      ClusterSettings settings,
      int expectedNodes,
      Duration sessionTimeout) {
    return start(zookeeper, cluster, managerId, settings, expectedNodes, sessionTimeout, -1);
  }

  /**
   * Same as {@link #start(String, String, String, ClusterSettings, int, Duration)}, serving {@code
   * /metrics} and {@code /healthz} on {@code adminPort} of localhost (0 = any free port, -1 =
   * none): JVM and ZooKeeper session metrics, {@code catena_manager_active} (1 while this manager
   * is the active coordinator); healthy while its ZooKeeper session is connected. The same port
   * serves the operator {@link Dashboard} at {@code /} and its JSON at {@code /api/cluster}.
   */
  public static ManagerProcess start(
      String zookeeper,
      String cluster,
      String managerId,
      ClusterSettings settings,
      int expectedNodes,
      Duration sessionTimeout,
      int adminPort) {
    CuratorFramework client = CuratorClients.newClient(zookeeper, sessionTimeout, sessionTimeout);
    client.start();
    var store = new ZkClusterStore(client, cluster);
    try {
      store.createCluster(settings);
    } catch (ClusterExistsException e) {
      // Restart on an existing cluster: keep its settings and tables.
    }
    var coordinator =
        new Coordinator(
            store,
            new ZkLeaderElection(client, cluster, managerId),
            new Reconfigurer(expectedNodes));
    coordinator.start();
    var gc =
        new GarbageCollectionSchedule(
            coordinator::isActive,
            () ->
                dev.catena.client.CatenaClient.builder()
                    .zookeeper(zookeeper)
                    .cluster(cluster)
                    .sessionTimeout(sessionTimeout)
                    .build());
    var metrics = new ProcessMetrics();
    ZkSessionMetrics.bind(metrics.registry(), client);
    io.micrometer.core.instrument.Gauge.builder(
            "catena.manager.active", () -> coordinator.isActive() ? 1 : 0)
        .description("1 while this manager is the active coordinator")
        .register(metrics.registry());
    if (adminPort < 0) {
      return new ManagerProcess(client, coordinator, gc, metrics, null, null, null);
    }
    var view = ClusterAdmin.open(client, cluster); // shares the client: never closed itself
    var dashboard = Dashboard.start(() -> view.status(cluster));
    Subscription watch =
        store.watch(
            change -> {
              if (change.kind() != ClusterChange.Kind.BUCKETS) {
                dashboard.refreshSoon();
              }
            });
    AdminServer admin =
        AdminServer.start(
            "127.0.0.1",
            adminPort,
            metrics.registry(),
            () -> {},
            () ->
                client.getZookeeperClient().isConnected()
                    ? AdminServer.Health.OK
                    : AdminServer.Health.unhealthy("no ZooKeeper connection"),
            dashboard.routes());
    return new ManagerProcess(client, coordinator, gc, metrics, admin, dashboard, watch);
  }

  /** The port of the admin endpoint; -1 if there is none. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** True while this manager is the active coordinator. */
  public boolean isActive() {
    return coordinator.isActive();
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
      dashboardWatch.close();
      dashboard.close();
    }
    metrics.close();
    gc.close();
    try {
      coordinator.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      client.close();
    }
  }
}
