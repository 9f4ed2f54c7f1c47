package dev.catena.tests.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTest {
  private static History sample() {
    return History.of(
        Operation.write(0, 1, "k\"ey", "va\\l\nue\t\u0001é", 10, 20, OpStatus.OK),
        Operation.read(1, 2, "k\"ey", "va\\l\nue\t\u0001é", 21, 30, OpStatus.OK),
        Operation.read(2, 2, "other", null, 31, 40, OpStatus.OK),
        Operation.delete(3, 3, "other", 41, 50, OpStatus.FAIL),
        Operation.write(4, 4, "other", "x", 51, 60, OpStatus.INFO),
        Operation.write(5, 5, "other", "y", 61, Operation.NOT_COMPLETED, OpStatus.INFO),
        Operation.read(6, 6, "other", null, 62, Operation.NOT_COMPLETED, OpStatus.INFO));
  }

  @Test
  void roundTripsThroughAString() {
    String text = HistoryJson.toJsonLines(sample());
    assertThat(text.lines()).hasSize(7);
    assertThat(text).contains("\"complete\":null");
    assertThat(HistoryJson.fromJsonLines(text)).isEqualTo(sample());
  }

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("history.jsonl");
    HistoryJson.write(sample(), file);
    assertThat(HistoryJson.read(file)).isEqualTo(sample());
  }

  @Test
  void acceptsWhitespaceFieldOrderAndBlankLines() {
    String line =
        "  { \"status\" : \"OK\", \"complete\": 5, \"invoke\": 1, \"output\": \"a\\u0041\","
            + " \"value\": null, \"type\": \"READ\", \"key\": \"k\", \"process\": 3, \"id\": 9 }";
    History h = HistoryJson.fromJsonLines("\n" + line + "\n\n");
    assertThat(h.operations()).containsExactly(Operation.read(9, 3, "k", "aA", 1, 5, OpStatus.OK));
  }

  @Test
  void malformedLinesAreTypedErrorsNamingTheLine() {
    String good = HistoryJson.encode(sample().operations().get(0));
    assertThatThrownBy(() -> HistoryJson.fromJsonLines(good + "\n{\"id\":1"))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> HistoryJson.fromJsonLines(good.replace("\"WRITE\"", "\"PUT\"")))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> HistoryJson.fromJsonLines(good.replace("\"id\":0", "\"id\":\"0\"")))
        .isInstanceOf(HistoryFormatException.class);
    assertThatThrownBy(() -> HistoryJson.fromJsonLines(good + " trailing"))
        .isInstanceOf(HistoryFormatException.class);
    assertThatThrownBy(() -> HistoryJson.fromJsonLines(good.replace(",\"value\":", ",\"key\":")))
        .isInstanceOf(HistoryFormatException.class)
        .hasMessageContaining("Duplicate");
    // A syntactically fine line that breaks the operation contract (write without value).
    assertThatThrownBy(
            () ->
                HistoryJson.fromJsonLines(
                    good.replaceAll("\"value\":\"[^\"]*\"", "\"value\":null")))
        .isInstanceOf(HistoryFormatException.class);
  }
}
