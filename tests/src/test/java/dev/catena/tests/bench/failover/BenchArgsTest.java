package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchArgsTest {
  private static final Set<String> KNOWN = Set.of("runs", "data", "fsync");

  @Test
  void readsValuesAndDefaults() {
    BenchArgs a = BenchArgs.parse(new String[] {"--runs", "7", "--data", "d"}, KNOWN);
    assertThat(a.intValue("runs", 20)).isEqualTo(7);
    assertThat(a.path("data", null)).isEqualTo(Path.of("d"));
    assertThat(a.string("fsync", "group")).isEqualTo("group");
    assertThat(a.longValue("missing", 5)).isEqualTo(5);
  }

  @Test
  void rejectsMalformedCommandLines() {
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--nope", "1"}, KNOWN))
        .isInstanceOf(BenchArgsException.class)
        .hasMessageContaining("--nope");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runs"}, KNOWN))
        .isInstanceOf(BenchArgsException.class)
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"runs", "1"}, KNOWN))
        .isInstanceOf(BenchArgsException.class);
    assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runs", "1", "--runs", "2"}, KNOWN))
        .isInstanceOf(BenchArgsException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void rejectsBadNumbers() {
    assertThatThrownBy(
            () -> BenchArgs.parse(new String[] {"--runs", "x"}, KNOWN).intValue("runs", 1))
        .isInstanceOf(BenchArgsException.class);
    assertThatThrownBy(
            () -> BenchArgs.parse(new String[] {"--runs", "0"}, KNOWN).intValue("runs", 1))
        .isInstanceOf(BenchArgsException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(
            () ->
                BenchArgs.parse(new String[] {"--runs", "99999999999"}, KNOWN).intValue("runs", 1))
        .isInstanceOf(BenchArgsException.class);
  }
}
