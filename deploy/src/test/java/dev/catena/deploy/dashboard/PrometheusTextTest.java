package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String EXPOSITION =
      """
      # HELP grpc_server_processing_duration_seconds The total time taken
      # TYPE grpc_server_processing_duration_seconds histogram
      grpc_server_processing_duration_seconds_bucket{method="GetObject",service="catena.v1.ObjectService",le="0.001"} 2
      grpc_server_processing_duration_seconds_bucket{method="GetObject",service="catena.v1.ObjectService",le="+Inf"} 5
      grpc_server_processing_duration_seconds_bucket_extra{le="1"} 9
      grpc_server_processing_duration_seconds_count{method="GetObject"} 5
      odd{a="x\\"y\\\\z\\nw",b=""} 1.5 1700000000000
      process_start_time_seconds 1.7E9
      broken{a="unterminated 3
      """;

  @Test
  void readsTheSamplesOfOneMetricWithTheirLabels() {
    var samples =
        PrometheusText.samples(EXPOSITION, "grpc_server_processing_duration_seconds_bucket");
    assertThat(samples).hasSize(2);
    assertThat(samples.get(0).labels())
        .containsExactly(
            Map.entry("method", "GetObject"),
            Map.entry("service", "catena.v1.ObjectService"),
            Map.entry("le", "0.001"));
    assertThat(samples.get(0).value()).isEqualTo(2);
    assertThat(samples.get(1).labels()).containsEntry("le", "+Inf");
    assertThat(samples.get(1).value()).isEqualTo(5);
  }

  @Test
  void unescapesLabelValuesAndIgnoresTimestamps() {
    var samples = PrometheusText.samples(EXPOSITION, "odd");
    assertThat(samples).hasSize(1);
    assertThat(samples.get(0).labels()).containsEntry("a", "x\"y\\z\nw").containsEntry("b", "");
    assertThat(samples.get(0).value()).isEqualTo(1.5);
  }

  @Test
  void readsSamplesWithoutLabelsAndSkipsMalformedLines() {
    assertThat(PrometheusText.samples(EXPOSITION, "process_start_time_seconds"))
        .singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(1.7e9));
    assertThat(PrometheusText.samples(EXPOSITION, "broken")).isEmpty();
    assertThat(PrometheusText.samples(EXPOSITION, "absent")).isEmpty();
  }
}
