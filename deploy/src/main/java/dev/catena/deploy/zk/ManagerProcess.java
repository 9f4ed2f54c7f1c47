package dev.catena.deploy.zk;

import dev.catena.config.ClusterExistsException;
import dev.catena.config.Coordinator;
import dev.catena.config.Reconfigurer;
import dev.catena.config.zk.CuratorClients;
import dev.catena.config.zk.ZkClusterStore;
import dev.catena.config.zk.ZkLeaderElection;
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
 * lazy chunk garbage collection every ten minutes ({@link GarbageCollectionSchedule}).
 */
public final class ManagerProcess implements AutoCloseable {
  private final CuratorFramework client;
  private final Coordinator coordinator;
  private final GarbageCollectionSchedule gc;

  private ManagerProcess(
      CuratorFramework client, Coordinator coordinator, GarbageCollectionSchedule gc) {
    this.client = client;
    this.coordinator = coordinator;
    this.gc = gc;
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
    return new ManagerProcess(client, coordinator, gc);
  }

  /** True while this manager is the active coordinator. */
  public boolean isActive() {
    return coordinator.isActive();
  }

  @Override
  public void close() {
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
