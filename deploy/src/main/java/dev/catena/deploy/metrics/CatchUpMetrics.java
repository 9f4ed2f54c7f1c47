package dev.catena.deploy.metrics;

import dev.catena.chain.runtime.SyncListener;
import dev.catena.proto.v1.SnapshotTotals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The joiner's side of a catch-up as node metrics, per chain this node is joining (SYNCING), fed by
 * the same {@link SyncListener} events the ZooKeeper sync report is built from:
 *
 * <ul>
 *   <li>{@code catena_chain_catchup_records{chain}} and {@code catena_chain_catchup_bytes{chain}}:
 *       snapshot records and bytes installed so far in the current stream (bytes are key, value and
 *       chunk bytes, the measure of {@code SyncStatus.bytes});
 *   <li>{@code catena_chain_catchup_expected_records{chain}} and {@code
 *       catena_chain_catchup_expected_bytes{chain}}: what the stream announced it carries; -1 until
 *       the first entry has arrived (or from a sender that does not announce it);
 *   <li>{@code catena_chain_catchup_installed_bytes_total{chain}}: snapshot bytes installed by
 *       every join of the chain since the node started (a counter: it stays after the join ends, so
 *       a scrape after a short join still shows it happened).
 * </ul>
 *
 * A chain's rows appear when its join reports its first event and disappear when the node is no
 * longer SYNCING there, like {@code catena_chain_join_lag_seqs}. Listener calls must not block:
 * they update counters; the gauges read them at each scrape.
 */
public final class CatchUpMetrics implements SyncListener {
  /** One join's figures, read by the gauges. */
  private static final class Join {
    volatile long records;
    volatile long bytes;
    volatile long expectedRecords = -1;
    volatile long expectedBytes = -1;
  }

  private final Map<Integer, Join> joins = new ConcurrentHashMap<>();
  private final MultiGauge records;
  private final MultiGauge bytes;
  private final MultiGauge expectedRecords;
  private final MultiGauge expectedBytes;
  private final MeterRegistry registry;

  public CatchUpMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.records =
        gauge(registry, "catena.chain.catchup.records", "snapshot records installed by this join");
    this.bytes =
        gauge(registry, "catena.chain.catchup.bytes", "snapshot bytes installed by this join");
    this.expectedRecords =
        gauge(
            registry,
            "catena.chain.catchup.expected.records",
            "snapshot records the join's stream announced (-1: not yet known)");
    this.expectedBytes =
        gauge(
            registry,
            "catena.chain.catchup.expected.bytes",
            "snapshot bytes the join's stream announced (-1: not yet known)");
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  @Override
  public void planned(int chainId, long epoch, SnapshotTotals totals, boolean diff) {
    Join j = join(chainId);
    synchronized (j) {
      j.records = 0; // a new stream: its counts start over
      j.bytes = 0;
      j.expectedRecords = totals.getRecords();
      j.expectedBytes = totals.getBytes();
    }
  }

  @Override
  public void progress(int chainId, long epoch, long records, long bytes) {
    Join j = join(chainId);
    long added;
    synchronized (j) {
      added = Math.max(0, bytes - j.bytes);
      j.records = records;
      j.bytes = bytes;
    }
    if (added > 0) {
      Counter.builder("catena.chain.catchup.installed.bytes")
          .description("snapshot bytes installed by this node's joins")
          .tag("chain", Integer.toString(chainId))
          .register(registry)
          .increment(added);
    }
  }

  @Override
  public void installed(int chainId, long epoch, long records, long bytes) {
    progress(chainId, epoch, records, bytes);
  }

  @Override
  public void lag(int chainId, long epoch, long lagSeqs) {
    join(chainId);
  }

  @Override
  public void caughtUp(int chainId, long epoch, long lastSeq) {}

  @Override
  public synchronized void ended(int chainId) {
    if (joins.remove(chainId) != null) {
      registerRows();
    }
  }

  private Join join(int chainId) {
    Join j = joins.get(chainId);
    if (j != null) {
      return j;
    }
    synchronized (this) {
      j = joins.computeIfAbsent(chainId, c -> new Join());
      registerRows();
      return j;
    }
  }

  /** Re-registers every family's rows for the current joins (caller holds the lock). */
  private void registerRows() {
    register(records, j -> j.records);
    register(bytes, j -> j.bytes);
    register(expectedRecords, j -> j.expectedRecords);
    register(expectedBytes, j -> j.expectedBytes);
  }

  private void register(MultiGauge gauge, ToLongFunction<Join> value) {
    List<MultiGauge.Row<?>> rows =
        joins.entrySet().stream()
            .<MultiGauge.Row<?>>map(
                e ->
                    MultiGauge.Row.of(
                        Tags.of("chain", Integer.toString(e.getKey())),
                        e.getValue(),
                        j -> (double) value.applyAsLong(j)))
            .toList();
    gauge.register(rows, true);
  }
}
