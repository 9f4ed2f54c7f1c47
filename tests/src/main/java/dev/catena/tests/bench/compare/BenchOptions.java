package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Validated settings of one {@code catena bench} run. The constructor rejects anything out of range
 * with {@link InvalidBenchOptionsException}.
 *
 * @param out output directory (JSON, Markdown, PNG)
 * @param dataDir where clusters keep their data (a fresh temporary directory if null)
 * @param configs configurations to run
 * @param workloads workloads to run
 * @param rounds rounds; each runs every configuration × workload × mode once, interleaved
 * @param phase time bound of one phase
 * @param maxOpsSmall count bound of a phase with 1 KiB values
 * @param maxOpsLarge count bound of a phase with 4 MiB values
 * @param inFlight requests in flight of the saturation phases with 1 KiB values (the other closed
 *     loop uses 1)
 * @param inFlightLarge requests in flight of the saturation phases with 4 MiB objects
 * @param openRate offered rate of open-loop phases with 1 KiB values, per second
 * @param openRateLarge offered rate of open-loop phases with 4 MiB values, per second
 * @param keys keyspace of 1 KiB values (preloaded)
 * @param largeKeys keyspace of 4 MiB objects (preloaded)
 * @param nodeReadLimit reads per second each server process may answer in {@code get-1k-limited}
 * @param fsync durability of Catena nodes, and the matching Ratis log flush policy
 * @param zkPort first ZooKeeper port (one per Catena cluster)
 * @param basePort first port of nodes and peers
 * @param warmup warm-up load per configuration before the first round (discarded)
 * @param overload how long an overload phase offers twice the peak ({@code put-1k-overload})
 * @param diskBytes bytes of the raw disk baseline
 * @param ratisProperties Ratis settings replacing or adding to {@link RatisSettings}' (keys {@code
 *     raft.*})
 * @param seed seed of keys, values and operation mixes
 * @param progress whether to draw a progress bar
 */
public record BenchOptions(
    Path out,
    Path dataDir,
    List<SystemConfig> configs,
    List<Workload> workloads,
    int rounds,
    Duration phase,
    int maxOpsSmall,
    int maxOpsLarge,
    int inFlight,
    int inFlightLarge,
    double openRate,
    double openRateLarge,
    int keys,
    int largeKeys,
    double nodeReadLimit,
    FsyncPolicy fsync,
    int zkPort,
    int basePort,
    Duration warmup,
    Duration overload,
    long diskBytes,
    Map<String, String> ratisProperties,
    long seed,
    boolean progress) {

  public BenchOptions {
    configs = List.copyOf(configs);
    ratisProperties = Map.copyOf(ratisProperties);
    for (String k : ratisProperties.keySet()) {
      require(k.startsWith("raft."), "--ratis-property keys start with raft., got " + k);
    }
    workloads = List.copyOf(workloads);
    require(!configs.isEmpty(), "--configs must name at least one configuration");
    require(!workloads.isEmpty(), "--workloads must name at least one workload");
    require(rounds >= 1 && rounds <= 100, "--rounds must be 1..100, got " + rounds);
    require(
        !phase.isNegative() && phase.toMillis() >= 100 && phase.toMinutes() <= 10,
        "--phase-seconds must be 0.1..600");
    require(maxOpsSmall >= 1, "--max-ops must be positive");
    require(maxOpsLarge >= 1, "--max-ops-large must be positive");
    require(inFlight >= 1 && inFlight <= 1024, "--in-flight must be 1..1024, got " + inFlight);
    require(
        inFlightLarge >= 1 && inFlightLarge <= 256,
        "--in-flight-large must be 1..256, got " + inFlightLarge);
    require(openRate > 0 && openRate <= 1e6, "--open-rate must be in (0, 1e6]");
    require(openRateLarge > 0 && openRateLarge <= 1e4, "--open-rate-large must be in (0, 1e4]");
    require(keys >= 2 && keys <= 10_000_000, "--keys must be 2..10000000, got " + keys);
    require(largeKeys >= 1 && largeKeys <= 10_000, "--large-keys must be 1..10000");
    require(nodeReadLimit > 0 && nodeReadLimit <= 1e6, "--node-read-limit must be in (0, 1e6]");
    require(zkPort > 0 && zkPort < 65535, "--zk-port out of range: " + zkPort);
    require(basePort > 0 && basePort + 40 < 65536, "--base-port out of range: " + basePort);
    require(!warmup.isNegative() && warmup.toMinutes() <= 10, "--warmup-seconds must be 0..600");
    require(diskBytes >= (4 << 20), "--disk-mib must be at least 4");
    require(
        overload.toMillis() >= 100 && overload.toMinutes() <= 10,
        "--overload-seconds must be 0.1..600");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvalidBenchOptionsException(message);
    }
  }

  /** The ZooKeeper port of the chain-1 cluster ({@link #zkPort()}) or the 3-node one (+1). */
  int zkPort(boolean threeNodes) {
    return threeNodes ? zkPort + 1 : zkPort;
  }

  /** Base port of the chain-1 cluster's node (node n1 at +1). */
  int chain1BasePort() {
    return basePort;
  }

  /** Base port of the 3-node cluster's nodes (n1..n3 at +11..+13). */
  int chain3BasePort() {
    return basePort + 10;
  }

  /** Base port of the Ratis peers (p1..p3 at +21..+23). */
  int ratisBasePort() {
    return basePort + 20;
  }
}
