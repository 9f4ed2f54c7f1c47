package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatTest {
  @Test
  void percentilesOfKnownValues() {
    var values = new ArrayList<Long>();
    for (long i = 1; i <= 100; i++) {
      values.add(i * 10);
    }
    LatencyStats s = LatencyStats.of(values);
    assertThat(s.count()).isEqualTo(100);
    assertThat(s.p50Millis()).isEqualTo(500);
    assertThat(s.p99Millis()).isEqualTo(990);
    assertThat(s.maxMillis()).isEqualTo(1000);
    assertThat(LatencyStats.of(List.of())).isEqualTo(new LatencyStats(0, 0, 0, 0));
    assertThatThrownBy(() -> LatencyStats.of(List.of(-1L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonEscapesAndNests() {
    var m = new LinkedHashMap<String, Object>();
    m.put("a\"b", "x\ny");
    m.put("n", 3L);
    m.put("d", 1.5);
    m.put("nan", Double.NaN);
    m.put("l", List.of(true, new LinkedHashMap<>()));
    m.put("z", null);
    assertThat(Json.write(m))
        .isEqualTo(
            "{\n  \"a\\\"b\": \"x\\ny\",\n  \"n\": 3,\n  \"d\": 1.500,\n  \"nan\": null,\n"
                + "  \"l\": [\n    true,\n    {}\n  ],\n  \"z\": null\n}\n");
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void markdownTable() {
    var t = new MarkdownTable("a", "b").row(1, "x|y");
    assertThat(t.render()).isEqualTo("| a | b |\n|---|---|\n| 1 | x\\|y |\n");
    assertThatThrownBy(() -> t.row(1)).isInstanceOf(IllegalArgumentException.class);
  }
}
