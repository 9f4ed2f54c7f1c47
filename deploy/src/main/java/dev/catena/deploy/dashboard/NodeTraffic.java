package dev.catena.deploy.dashboard;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A node's client traffic so far, read from one scrape of its {@code /metrics}: the cumulative
 * latency histograms of its client-facing write and read calls (Micrometer's gRPC server metric
 * {@code grpc_server_processing_duration_seconds}, service {@code catena.v1.ObjectService}, all
 * status codes). A chain's writes arrive at its head and its reads at its tail, so these are the
 * calls a node answers for clients; replication between nodes and garbage collection's listings are
 * not counted.
 *
 * @param processStart the node process's start ({@code process_start_time_seconds}), NaN if the
 *     scrape lacks it: counters restart from zero with a new process
 * @param writes PutObject, DeleteObject, UploadChunk and DeleteChunk
 * @param reads GetObject, ListObjects and DownloadChunk
 */
record NodeTraffic(double processStart, LatencyHistogram writes, LatencyHistogram reads) {
  static final String METRIC = "grpc_server_processing_duration_seconds_bucket";
  static final String START = "process_start_time_seconds";
  static final String SERVICE = "catena.v1.ObjectService";
  static final Set<String> WRITES =
      Set.of("PutObject", "DeleteObject", "UploadChunk", "DeleteChunk");
  static final Set<String> READS = Set.of("GetObject", "ListObjects", "DownloadChunk");

  /** The traffic in a Prometheus text exposition (none if it has no client calls yet). */
  static NodeTraffic fromExposition(String exposition) {
    var writes = new TreeMap<Double, Double>();
    var reads = new TreeMap<Double, Double>();
    for (var s : PrometheusText.samples(exposition, METRIC)) {
      Map<String, String> l = s.labels();
      if (!SERVICE.equals(l.get("service")) || !l.containsKey("le")) {
        continue;
      }
      Optional<Map<Double, Double>> into =
          WRITES.contains(l.get("method"))
              ? Optional.of(writes)
              : READS.contains(l.get("method")) ? Optional.of(reads) : Optional.empty();
      double le;
      try {
        le = Double.parseDouble(l.get("le").replace("Inf", "Infinity"));
      } catch (NumberFormatException e) {
        continue;
      }
      into.ifPresent(m -> m.merge(le, s.value(), Double::sum));
    }
    double start =
        PrometheusText.samples(exposition, START).stream()
            .mapToDouble(PrometheusText.Sample::value)
            .findFirst()
            .orElse(Double.NaN);
    return new NodeTraffic(start, LatencyHistogram.of(writes), LatencyHistogram.of(reads));
  }

  /**
   * True if {@code earlier} was scraped from the same process before this one (same start, no
   * counter went back), so that this minus it is the traffic in between.
   */
  boolean continues(NodeTraffic earlier) {
    return Double.compare(processStart, earlier.processStart) == 0
        && writes.count() >= earlier.writes.count()
        && reads.count() >= earlier.reads.count();
  }
}
