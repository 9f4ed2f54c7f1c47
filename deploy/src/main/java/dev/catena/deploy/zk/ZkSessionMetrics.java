package dev.catena.deploy.zk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;

/**
 * The state of a process's ZooKeeper session as metrics: {@code catena_zookeeper_connected} (1
 * while connected, read at each scrape) and {@code catena_zookeeper_session_events_total{state}},
 * one per Curator connection-state change ({@code SUSPENDED}, {@code RECONNECTED}, {@code LOST},
 * …).
 */
public final class ZkSessionMetrics {
  private ZkSessionMetrics() {}

  /** Binds the session of {@code client} to {@code registry}. */
  public static void bind(MeterRegistry registry, CuratorFramework client) {
    Gauge.builder(
            "catena.zookeeper.connected", () -> client.getZookeeperClient().isConnected() ? 1 : 0)
        .description("1 while the ZooKeeper session is connected")
        .register(registry);
    client
        .getConnectionStateListenable()
        .addListener(
            (c, state) ->
                Counter.builder("catena.zookeeper.session.events")
                    .description("ZooKeeper connection-state changes, by new state")
                    .tag("state", state.name())
                    .register(registry)
                    .increment());
  }
}
