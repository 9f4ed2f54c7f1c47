package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeTrafficTest {
  /** A scrape's lines for one method: {@code calls} calls, all at or below 2 ms. */
  static String method(String service, String method, String status, long calls) {
    String labels =
        "method=\"" + method + "\",methodType=\"UNARY\",service=\"" + service + "\",statusCode=\"";
    return "grpc_server_processing_duration_seconds_bucket{"
        + labels
        + status
        + "\",le=\"0.001\"} 0\n"
        + "grpc_server_processing_duration_seconds_bucket{"
        + labels
        + status
        + "\",le=\"0.002\"} "
        + calls
        + "\n"
        + "grpc_server_processing_duration_seconds_bucket{"
        + labels
        + status
        + "\",le=\"+Inf\"} "
        + calls
        + "\n"
        + "grpc_server_processing_duration_seconds_count{"
        + labels
        + status
        + "\"} "
        + calls
        + "\n";
  }

  static String scrape(double start, long puts, long gets) {
    return "process_start_time_seconds "
        + start
        + "\n"
        + method(NodeTraffic.SERVICE, "PutObject", "OK", puts)
        + method(NodeTraffic.SERVICE, "UploadChunk", "OK", 1)
        + method(NodeTraffic.SERVICE, "GetObject", "OK", gets)
        + method(NodeTraffic.SERVICE, "GetObject", "NOT_FOUND", 2)
        + method(NodeTraffic.SERVICE, "ListChunks", "OK", 100) // garbage collection: not counted
        + method("catena.v1.ChainService", "Snapshot", "OK", 100); // between nodes: not counted
  }

  @Test
  void countsClientWritesAndReadsOfEveryStatus() {
    NodeTraffic t = NodeTraffic.fromExposition(scrape(1.7e9, 10, 20));
    assertThat(t.processStart()).isEqualTo(1.7e9);
    assertThat(t.writes().count()).isEqualTo(11); // 10 puts + 1 chunk upload
    assertThat(t.reads().count()).isEqualTo(22); // 20 found + 2 not found
    assertThat(t.writes().quantile(0.99).getAsDouble()).isBetween(0.001, 0.002);
  }

  @Test
  void aScrapeWithoutClientCallsIsEmpty() {
    NodeTraffic t = NodeTraffic.fromExposition("process_start_time_seconds 5\n");
    assertThat(t.writes().count()).isZero();
    assertThat(t.reads().quantile(0.99)).isEmpty();
  }

  @Test
  void aLaterScrapeOfTheSameProcessContinuesAnEarlierOne() {
    NodeTraffic before = NodeTraffic.fromExposition(scrape(1.7e9, 10, 20));
    assertThat(NodeTraffic.fromExposition(scrape(1.7e9, 12, 20)).continues(before)).isTrue();
    assertThat(NodeTraffic.fromExposition(scrape(1.8e9, 12, 20)).continues(before))
        .as("another process start")
        .isFalse();
    assertThat(NodeTraffic.fromExposition(scrape(1.7e9, 5, 20)).continues(before))
        .as("a counter went back")
        .isFalse();
  }
}
