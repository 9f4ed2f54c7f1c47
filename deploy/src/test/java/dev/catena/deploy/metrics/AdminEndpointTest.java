package dev.catena.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.deploy.OneNodeCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes the admin endpoints of a live in-process node and manager: the metric families exist in
 * Prometheus form, and they move when traffic flows.
 */
@Timeout(120)
class AdminEndpointTest {
  private static final String BUCKET = "metrics";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  private static OneNodeCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = OneNodeCluster.start(dir, BUCKET, 0);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String nodeMetrics() throws Exception {
    var r = get(cluster.node().adminPort(), "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(AdminServer.PROMETHEUS_TEXT);
    return r.body();
  }

  /** Sum of the samples of {@code name} whose labels contain {@code labels}. */
  static double sum(String exposition, String name, String labels) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> l.contains(labels))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void nodeServesTheFamiliesAndTheyMoveWithTraffic() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(cluster.node().adminPort(), "/healthz").statusCode() == 200);
    assertThat(get(cluster.node().adminPort(), "/healthz").body()).isEqualTo("ok\n");

    String before = nodeMetrics();
    assertThat(before)
        .contains("# TYPE grpc_server_processing_duration_seconds histogram")
        .contains("# TYPE catena_storage_commit_seconds histogram")
        .contains("catena_storage_commit_batch_writes_count{store=\"metadata\"}")
        .contains("catena_storage_commit_seconds_bucket{store=\"chunks\"")
        .contains("catena_chain_sent_list_length{chain=\"")
        .contains("catena_chain_sent_list_bytes{chain=\"")
        .contains("catena_chain_commit_lag_seqs{chain=\"")
        .contains("catena_chain_epoch{chain=\"")
        .contains("catena_chain_fenced{chain=\"")
        .contains("catena_chain_role{chain=\"")
        .contains("catena_node_serving 1.0")
        .contains("catena_node_uploads_in_flight_bytes 0.0")
        .containsPattern("catena_node_uploads_budget_bytes [1-9]")
        .contains("catena_scrub_chunks_scanned_total")
        .contains("catena_scrub_chunks_bad_total{kind=\"corrupt\"}")
        .contains("catena_scrub_chunks_repaired_total")
        .contains("catena_scrub_records_scanned_total")
        .contains("catena_scrub_records_bad_total{kind=\"corrupt\"}")
        .contains("catena_scrub_records_bad_total{kind=\"missing_chunk\"}")
        .contains("catena_scrub_records_unrepaired_total")
        .contains("catena_zookeeper_connected 1.0")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("process_uptime_seconds");
    double calls = sum(before, "grpc_server_processing_duration_seconds_count", "");
    double commits = sum(before, "catena_storage_commit_seconds_count", "store=\"metadata\"");
    double chunkCommits = sum(before, "catena_storage_commit_seconds_count", "store=\"chunks\"");

    try (var c = cluster.client()) {
      for (int i = 0; i < 20; i++) {
        c.putObject(BUCKET, "k" + i, new byte[] {(byte) i});
      }
      c.putObject(BUCKET, "big", new byte[600 << 10]); // above the inline threshold: chunks
    }

    String after = nodeMetrics();
    assertThat(sum(after, "grpc_server_processing_duration_seconds_count", ""))
        .isGreaterThanOrEqualTo(calls + 21);
    assertThat(sum(after, "catena_storage_commit_seconds_count", "store=\"metadata\""))
        .isGreaterThan(commits);
    assertThat(sum(after, "catena_storage_commit_seconds_count", "store=\"chunks\""))
        .isGreaterThan(chunkCommits);
    assertThat(sum(after, "catena_storage_commit_batch_writes_sum", "store=\"metadata\""))
        .isGreaterThanOrEqualTo(21);
    assertThat(sum(after, "catena_chain_epoch", "chain=")).isPositive();
    assertThat(sum(after, "catena_chain_role", "role=\"SOLE\"")).isEqualTo(1); // one chain of one
  }

  @Test
  void managerServesItsFamiliesAndHealth() throws Exception {
    int port = cluster.manager().adminPort();
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(port, "/metrics").body().contains("catena_manager_active 1.0"));
    assertThat(get(port, "/metrics").body())
        .contains("catena_zookeeper_connected 1.0")
        .contains("jvm_threads_live_threads");
    assertThat(get(port, "/nothing").statusCode()).isEqualTo(404);
  }
}
