package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.bench.failover.BenchFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code catena bench --quick} end to end: it starts its own clusters (Catena node processes, Ratis
 * peer processes), runs every configuration × workload and writes the report. Asserts that the
 * JSON, Markdown and PNG files exist and have a row for every configuration × workload, and that
 * every target is listed with a verdict. Nothing about speed.
 */
class BenchQuickIT {
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void quickRunWritesEveryRowAndPlot() throws Exception {
    Path out = Path.of("target", "bench-quick").toAbsolutePath();
    BenchFiles.deleteTree(out);
    int code =
        BenchCommand.execute(
            "--quick", "--out", out.toString(), "--zk-port", "24191", "--base-port", "24250");
    assertThat(code).isZero();

    JsonNode json = JsonMapper.builder().build().readTree(out.resolve("bench.json").toFile());
    String md = Files.readString(out.resolve("bench.md"));
    List<String> missing = new ArrayList<>();
    for (SystemConfig c : SystemConfig.values()) {
      for (Workload w : Workload.values()) {
        boolean inJson = false;
        for (JsonNode row : json.get("rows")) {
          inJson |=
              row.get("config").asString().equals(c.label())
                  && row.get("workload").asString().equals(w.label())
                  && row.get("completed").asLong() > 0;
        }
        if (!inJson) {
          missing.add("json " + c.label() + "/" + w.label());
        }
        if (!md.contains("| " + c.label() + " | " + w.label() + " | ")) {
          missing.add("markdown " + c.label() + "/" + w.label());
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(json.get("targets")).hasSize(11);
    assertThat(md).contains("| target | what | measured | bound | verdict |");
    for (String png : List.of("throughput.png", "large.png", "latency.png")) {
      byte[] head = Files.readAllBytes(out.resolve(png));
      assertThat(head).as(png).hasSizeGreaterThan(1000);
      assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
          .as(png)
          .isEqualTo("PNG");
    }
  }
}
