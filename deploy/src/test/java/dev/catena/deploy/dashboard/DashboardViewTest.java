package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.StatusJson;
import dev.catena.proto.v1.NodeStorageStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DashboardViewTest {
  private static ClusterAdmin.NodeStatus node(String id, boolean live, String admin) {
    return new ClusterAdmin.NodeStatus(
        id, live, live ? "h:7" : "", 1, 1, NodeStorageStats.getDefaultInstance(), admin);
  }

  @Test
  void extendsTheStatusReportWithRatesLivenessHistoryAndReconfigurations() {
    var sync =
        new ClusterAdmin.SyncProgress(
            0, "n4", 3, 10, 250, true, 40, 1000, 40, 1000, false, false, 3, false, 0);
    var status =
        new ClusterAdmin.Status(
            "c",
            List.of(node("n1", true, "h:9101"), node("n2", false, "")),
            List.of(
                new ClusterAdmin.ChainStatus(
                    0, 3, List.of("n1", "n2"), List.of("n4"), List.of(sync))),
            2);
    var liveness = new NodeLiveness(Duration.ofHours(1));
    liveness.observe(Map.of("n1", true, "n2", true, "n3", true), 1_000);
    liveness.observe(Map.of("n1", true, "n2", false), 5_000);
    var n1 = new RateSampler.Rates(12.345, 0, OptionalDouble.of(4.5678), OptionalDouble.empty());
    var history = new RateHistory(10);
    history.append(4_000, Map.of());
    history.append(5_000, Map.of("n1", n1));
    var log = new ReconfigurationLog(5);
    log.observe(
        List.of(
            new ClusterAdmin.ChainStatus(0, 2, List.of("n1", "n2", "n3"), List.of(), List.of())),
        1_000);
    log.observe(status.chains(), 5_000);

    JsonNode doc =
        StatusJson.MAPPER.readTree(
            StatusJson.MAPPER.writeValueAsString(
                DashboardView.render(
                    new DashboardView.Inputs(
                        status,
                        Map.of("n1", n1, "n2", n1, "n3", n1), // the last scrape, before n2, n3 died
                        liveness,
                        history,
                        log.recent(),
                        5_000,
                        1_000))));

    assertThat(doc.get("cluster").asString()).isEqualTo("c");
    assertThat(doc.get("generatedAtMillis").asLong()).isEqualTo(5_000);
    assertThat(doc.get("sampleIntervalMillis").asLong()).isEqualTo(1_000);
    JsonNode nodes = doc.get("nodes");
    assertThat(nodes).hasSize(3);
    JsonNode up = nodes.get(0);
    assertThat(up.get("id").asString()).isEqualTo("n1");
    assertThat(up.get("live").asBoolean()).isTrue();
    assertThat(up.get("adminAddress").asString()).isEqualTo("h:9101");
    assertThat(up.get("departed").asBoolean()).isFalse();
    assertThat(up.get("downSinceMillis").isNull()).isTrue();
    assertThat(up.get("rates").get("writesPerSec").asDouble()).isEqualTo(12.35);
    assertThat(up.get("rates").get("writeP99Ms").asDouble()).isEqualTo(4.57);
    assertThat(up.get("rates").get("readP99Ms").isNull()).isTrue();
    JsonNode down = nodes.get(1);
    assertThat(down.get("live").asBoolean()).isFalse();
    assertThat(down.get("downSinceMillis").asLong()).isEqualTo(5_000);
    assertThat(down.get("rates").isNull()).isTrue();
    JsonNode departed = nodes.get(2);
    assertThat(departed.get("id").asString()).isEqualTo("n3");
    assertThat(departed.get("live").asBoolean()).isFalse();
    assertThat(departed.get("departed").asBoolean()).isTrue();
    assertThat(departed.get("downSinceMillis").asLong()).isEqualTo(5_000);
    assertThat(departed.get("rates").isNull()).isTrue();

    JsonNode chain = doc.get("chains").get(0);
    assertThat(chain.get("epoch").asLong()).isEqualTo(3);
    assertThat(chain.get("syncing").get(0).asString()).isEqualTo("n4");
    assertThat(chain.get("sync").get(0).get("percent").asDouble()).isEqualTo(25.0);

    JsonNode h = doc.get("history");
    assertThat(h.get("t")).hasSize(2);
    assertThat(h.get("t").get(1).asDouble()).isEqualTo(5.0);
    JsonNode series = h.get("nodes").get("n1");
    assertThat(series.get("writesPerSec").get(0).isNull()).isTrue();
    assertThat(series.get("writesPerSec").get(1).asDouble()).isEqualTo(12.35);
    assertThat(series.get("readP99Ms").get(1).isNull()).isTrue();

    JsonNode change = doc.get("reconfigurations").get(0);
    assertThat(change.get("chain").asInt()).isZero();
    assertThat(change.get("fromEpoch").asLong()).isEqualTo(2);
    assertThat(change.get("toEpoch").asLong()).isEqualTo(3);
    assertThat(change.get("after").toString()).isEqualTo("[\"n1\",\"n2\"]");
    assertThat(change.get("afterSyncing").toString()).isEqualTo("[\"n4\"]");
    assertThat(change.get("changes").toString())
        .isEqualTo("[\"n3 removed\",\"n4 joins (syncing)\",\"tail n3 → n2\"]");
  }
}
