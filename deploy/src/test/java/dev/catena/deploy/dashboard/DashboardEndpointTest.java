package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.deploy.OneNodeCluster;
import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.StatusJson;
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
import tools.jackson.databind.JsonNode;

/**
 * The dashboard on a live in-process manager and node: the node registers its admin port, the
 * manager serves the page, the vendored uPlot and the JSON endpoint, and the endpoint's rates move
 * with traffic (scraped from the node's {@code /metrics}).
 */
@Timeout(120)
class DashboardEndpointTest {
  private static final String BUCKET = "dashboard";
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

  private static HttpResponse<String> request(String method, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.manager().adminPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return request("GET", path);
  }

  private static JsonNode document() throws Exception {
    var r = get("/api/cluster");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return StatusJson.MAPPER.readTree(r.body());
  }

  @Test
  void theNodeRegistersItsAdminAddress() {
    try (var admin = ClusterAdmin.connect(cluster.connectString(), OneNodeCluster.CLUSTER)) {
      var n = admin.status(OneNodeCluster.CLUSTER).nodes().get(0);
      assertThat(n.adminAddress()).isEqualTo("127.0.0.1:" + cluster.node().adminPort());
    }
  }

  @Test
  void servesThePageAndTheVendoredChartLibrary() throws Exception {
    var page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<script src=\"vendor/uplot/uPlot.iife.min.js\"></script>")
        .contains("dashboard.js")
        .doesNotContain("https://");
    var uplot = get("/vendor/uplot/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(uplot.body()).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */");
    assertThat(get("/vendor/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
    assertThat(get("/vendor/uplot/LICENSE").body()).contains("The MIT License");
    assertThat(get("/dashboard.js").body()).contains("api/cluster");
  }

  @Test
  void refusesOtherPathsAndMethods() throws Exception {
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/vendor/%2e%2e/index.html").statusCode()).isEqualTo(404);
    assertThat(get("/.hidden").statusCode()).isEqualTo(404);
    assertThat(get("/api/cluster/more").statusCode()).isEqualTo(404);
    var post = request("POST", "/api/cluster");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(get("/metrics").body()).contains("catena_manager_active");
  }

  @Test
  void theEndpointShowsTheClusterAndRatesThatMoveWithTraffic() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> document().get("chains").size() == 1);
    JsonNode doc = document();
    assertThat(doc.get("cluster").asString()).isEqualTo(OneNodeCluster.CLUSTER);
    JsonNode node = doc.get("nodes").get(0);
    assertThat(node.get("id").asString()).isEqualTo("n1");
    assertThat(node.get("live").asBoolean()).isTrue();
    assertThat(node.get("adminAddress").asString()).endsWith(":" + cluster.node().adminPort());
    assertThat(doc.get("chains").get(0).get("members").get(0).asString()).isEqualTo("n1");
    assertThat(doc.get("reconfigurations").isArray()).isTrue();

    try (var c = cluster.client()) {
      await("writes and reads show in the node's rates")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                for (int i = 0; i < 20; i++) {
                  c.putObject(BUCKET, "k" + i, new byte[] {(byte) i});
                  c.getObject(BUCKET, "k" + i);
                }
                JsonNode rates = document().get("nodes").get(0).get("rates");
                return !rates.isNull()
                    && rates.get("writesPerSec").asDouble() > 0
                    && rates.get("readsPerSec").asDouble() > 0
                    && rates.get("writeP99Ms").asDouble() > 0;
              });
    }
    JsonNode history = document().get("history");
    assertThat(history.get("t").size()).isPositive();
    assertThat(history.get("nodes").get("n1").get("writesPerSec").size())
        .isEqualTo(history.get("t").size());
  }
}
