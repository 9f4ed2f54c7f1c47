package dev.catena.deploy.metrics;

import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.storage.CommitObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The storage node's own metrics, fed by the node's existing accessors and two narrow hooks (a gRPC
 * interceptor and the stores' {@link CommitObserver}s), so the runtime knows nothing of Micrometer.
 * Prometheus names:
 *
 * <ul>
 *   <li>{@code grpc_server_processing_duration_seconds{method,…}} (histogram) and {@code
 *       grpc_server_requests_received_messages_total}: rate and latency per operation (Micrometer's
 *       gRPC interceptor);
 *   <li>{@code catena_storage_commit_seconds{store}} (histogram): writing one group-commit batch
 *       and making it durable (the fsync); {@code catena_storage_commit_batch_writes{store}}:
 *       writes per batch; {@code store} is {@code chunks} or {@code metadata};
 *   <li>per chain this node serves, read at each scrape: {@code catena_chain_sent_list_length},
 *       {@code catena_chain_sent_list_bytes}, {@code catena_chain_commit_lag_seqs} (received but
 *       not yet acknowledged: last − acked), {@code catena_chain_epoch}, {@code
 *       catena_chain_fenced}, {@code catena_chain_role{role}};
 *   <li>{@code catena_node_serving}: 1 while the lease is valid and storage has not failed.
 * </ul>
 */
public final class NodeMetrics {
  private final MeterRegistry registry;
  private final Supplier<List<ReplicaStatus>> chains;
  private final Supplier<Optional<String>> refusal;
  private final MultiGauge sentList;
  private final MultiGauge sentListBytes;
  private final MultiGauge joinLag;
  private final MultiGauge commitLag;
  private final MultiGauge epoch;
  private final MultiGauge fenced;
  private final MultiGauge role;

  /**
   * @param chains the status of every chain replica (read at each scrape)
   * @param refusal why the node may not serve, or empty if it may (its {@code NodeFence})
   */
  public NodeMetrics(
      MeterRegistry registry,
      Supplier<List<ReplicaStatus>> chains,
      Supplier<Optional<String>> refusal) {
    this.registry = registry;
    this.chains = chains;
    this.refusal = refusal;
    this.sentList =
        chainGauge("catena.chain.sent.list.length", "writes held for neighbours (the Sent list)");
    this.sentListBytes =
        chainGauge(
            "catena.chain.sent.list.bytes", "encoded size of the writes held for neighbours");
    this.commitLag =
        chainGauge(
            "catena.chain.commit.lag.seqs",
            "writes received but not yet acknowledged (last - acked)");
    this.joinLag =
        chainGauge(
            "catena.chain.join.lag.seqs",
            "while this replica joins a chain (SYNCING): seqs behind what its predecessor sent");
    this.epoch = chainGauge("catena.chain.epoch", "the chain configuration epoch this replica has");
    this.fenced = chainGauge("catena.chain.fenced", "1 while the replica is fenced");
    this.role = chainGauge("catena.chain.role", "1 for the replica's role in the chain");
    Gauge.builder("catena.node.serving", () -> serving().isEmpty() ? 1 : 0)
        .description("1 while the node may serve: storage works, session not in doubt, lease valid")
        .register(registry);
  }

  private MultiGauge chainGauge(String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  /** Why the node does not serve, or empty if it does. */
  public Optional<String> serving() {
    return refusal.get();
  }

  /** The health {@code /healthz} reports. */
  public AdminServer.Health health() {
    return serving().map(AdminServer.Health::unhealthy).orElse(AdminServer.Health.OK);
  }

  /** Reads every replica's status once and updates the per-chain gauges (before a scrape). */
  public void refresh() {
    List<ReplicaStatus> all;
    try {
      all = chains.get();
    } catch (RuntimeException e) {
      return; // the runtime did not answer in time: keep the last values
    }
    sentList.register(rows(all, s -> s.pending()), true);
    sentListBytes.register(rows(all, s -> s.pendingBytes()), true);
    joinLag.register(
        rows(all.stream().filter(s -> s.joinLag() >= 0).toList(), s -> s.joinLag()), true);
    commitLag.register(rows(all, s -> Math.max(0, s.last() - s.acked())), true);
    epoch.register(rows(all, s -> s.epoch()), true);
    fenced.register(rows(all, s -> s.fenced() ? 1 : 0), true);
    role.register(
        all.stream()
            .map(
                s ->
                    MultiGauge.Row.of(
                        Tags.of("chain", Integer.toString(s.chainId()), "role", s.role().name()),
                        1))
            .toList(),
        true);
  }

  private static List<MultiGauge.Row<?>> rows(
      List<ReplicaStatus> all, ToDoubleFunction<ReplicaStatus> value) {
    Function<ReplicaStatus, MultiGauge.Row<?>> row =
        s ->
            MultiGauge.Row.of(
                Tags.of("chain", Integer.toString(s.chainId())), value.applyAsDouble(s));
    return all.stream().map(row).toList();
  }

  /** Observes the commits of the store named {@code store} ({@code chunks}, {@code metadata}). */
  public CommitObserver commitObserver(String store) {
    Timer commit =
        Timer.builder("catena.storage.commit")
            .description("writing one group-commit batch and making it durable (fsync)")
            .tag("store", store)
            .publishPercentileHistogram()
            .register(registry);
    DistributionSummary batch =
        DistributionSummary.builder("catena.storage.commit.batch.writes")
            .description("writes per group-commit batch")
            .tag("store", store)
            .publishPercentileHistogram()
            .register(registry);
    return (writes, nanos) -> {
      commit.record(nanos, TimeUnit.NANOSECONDS);
      batch.record(writes);
    };
  }
}
