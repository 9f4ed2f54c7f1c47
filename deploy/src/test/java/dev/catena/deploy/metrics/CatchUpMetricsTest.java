package dev.catena.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.proto.v1.SnapshotTotals;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The joiner's catch-up families in Prometheus form, driven by the join events the runtime emits
 * (in {@code SyncListener}'s order): rows appear with the join, track the stream against what it
 * announced, start over with a new stream, and vanish when the join ends, while the installed-bytes
 * counter keeps the total.
 */
@Timeout(10)
class CatchUpMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final CatchUpMetrics metrics = new CatchUpMetrics(registry);

  private double sample(String name) {
    String prefix = name + "{chain=\"2\"} ";
    return registry
        .scrape()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
        .findFirst()
        .orElse(Double.NaN);
  }

  @Test
  void theFamiliesFollowAJoinAndItsRestart() {
    assertThat(registry.scrape()).doesNotContain("catena_chain_catchup_bytes{");

    metrics.lag(2, 5, 17); // the join's first event: rows appear, totals not yet known
    assertThat(sample("catena_chain_catchup_bytes")).isZero();
    assertThat(sample("catena_chain_catchup_expected_bytes")).isEqualTo(-1);

    metrics.planned(2, 5, SnapshotTotals.newBuilder().setRecords(10).setBytes(1000).build(), false);
    metrics.progress(2, 5, 4, 400);
    assertThat(sample("catena_chain_catchup_records")).isEqualTo(4);
    assertThat(sample("catena_chain_catchup_bytes")).isEqualTo(400);
    assertThat(sample("catena_chain_catchup_expected_records")).isEqualTo(10);
    assertThat(sample("catena_chain_catchup_expected_bytes")).isEqualTo(1000);
    assertThat(sample("catena_chain_catchup_installed_bytes_total")).isEqualTo(400);

    // The stream broke and the join asked again: the new stream's counts start over.
    metrics.planned(2, 5, SnapshotTotals.newBuilder().setRecords(6).setBytes(600).build(), true);
    assertThat(sample("catena_chain_catchup_bytes")).isZero();
    metrics.installed(2, 5, 6, 600);
    assertThat(sample("catena_chain_catchup_bytes")).isEqualTo(600);
    assertThat(sample("catena_chain_catchup_expected_bytes")).isEqualTo(600);
    assertThat(sample("catena_chain_catchup_installed_bytes_total")).isEqualTo(1000);

    metrics.caughtUp(2, 5, 99);
    metrics.ended(2);
    assertThat(registry.scrape())
        .doesNotContain("catena_chain_catchup_bytes{")
        .doesNotContain("catena_chain_catchup_expected_bytes{");
    assertThat(sample("catena_chain_catchup_installed_bytes_total")).isEqualTo(1000);
  }
}
