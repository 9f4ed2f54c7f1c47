package dev.catena.tests.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckOptionsTest {
  @Test
  void parsesDurations() {
    assertThat(DurationParser.parse("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(DurationParser.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationParser.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationParser.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationParser.parse(" 90 ")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void rejectsBadDurations() {
    for (String bad : new String[] {"", "s", "-1s", "1.5s", "10 d", "1e3"}) {
      assertThatThrownBy(() -> DurationParser.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidCheckOptionsException.class)
          .hasMessageContaining("bad duration");
    }
  }

  @Test
  void parsesNemesisLists() {
    assertThat(NemesisKind.parseList("kill,pause,restart"))
        .containsExactlyInAnyOrder(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.RESTART);
    assertThat(NemesisKind.parseList(" Partition , zk-expire"))
        .containsExactlyInAnyOrder(NemesisKind.PARTITION, NemesisKind.ZK_EXPIRE);
    assertThat(NemesisKind.parseList("none")).isEmpty();
    assertThat(NemesisKind.parseList("")).isEmpty();
  }

  @Test
  void rejectsUnknownNemesis() {
    assertThatThrownBy(() -> NemesisKind.parseList("kill,flood"))
        .isInstanceOf(InvalidCheckOptionsException.class)
        .hasMessageContaining("'flood'");
    assertThatThrownBy(() -> NemesisKind.parseList("kill,,pause"))
        .isInstanceOf(InvalidCheckOptionsException.class);
  }

  private static FaultOptions options(int nodes, int chainLength, int clients, int keys) {
    return new FaultOptions(
        nodes,
        chainLength,
        Duration.ofSeconds(10),
        clients,
        keys,
        EnumSet.of(NemesisKind.KILL),
        Path.of("out"),
        1,
        Duration.ofSeconds(4),
        FaultOptions.DEFAULT_REQUEST_TIMEOUT);
  }

  @Test
  void validatesOptions() {
    assertThat(options(4, 3, 8, 16).nodes()).isEqualTo(4);
    assertThatThrownBy(() -> options(2, 3, 8, 16)).isInstanceOf(InvalidCheckOptionsException.class);
    assertThatThrownBy(() -> options(4, 3, 0, 16)).isInstanceOf(InvalidCheckOptionsException.class);
    assertThatThrownBy(() -> options(4, 3, 8, 0)).isInstanceOf(InvalidCheckOptionsException.class);
    assertThatThrownBy(() -> options(3, 1, 8, 16))
        .as("a fault with chain length 1 makes data unavailable")
        .isInstanceOf(InvalidCheckOptionsException.class);
    assertThatThrownBy(
            () ->
                new FaultOptions(
                    4,
                    3,
                    Duration.ZERO,
                    8,
                    16,
                    Set.of(),
                    Path.of("out"),
                    1,
                    Duration.ofSeconds(4),
                    FaultOptions.DEFAULT_REQUEST_TIMEOUT))
        .isInstanceOf(InvalidCheckOptionsException.class);
  }

  @Test
  void commandLineDefaultsAndOverrides() {
    var cmd = new CheckCommand();
    new CommandLine(cmd).parseArgs("--time", "2m", "--nemesis", "kill,restart", "--seed", "9");
    FaultOptions o = cmd.options();
    assertThat(o.nodes()).isEqualTo(4);
    assertThat(o.chainLength()).isEqualTo(3);
    assertThat(o.clients()).isEqualTo(8);
    assertThat(o.keys()).isEqualTo(16);
    assertThat(o.time()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.nemesis()).containsExactlyInAnyOrder(NemesisKind.KILL, NemesisKind.RESTART);
    assertThat(o.seed()).isEqualTo(9);
    assertThat(o.out()).isEqualTo(Path.of("check-out-9"));
    assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void requestTimeoutIsShortByDefaultAndLongOnRequest() {
    var cmd = new CheckCommand();
    new CommandLine(cmd).parseArgs("--request-timeout", "20s");
    assertThat(cmd.options().requestTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(CheckCommand.execute("--request-timeout", "50ms")).isEqualTo(2);
    assertThat(CheckCommand.execute("--request-timeout", "10m")).isEqualTo(2);
  }

  @Test
  void refusesAnOutputDirectoryThatHoldsACluster(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("cluster"));
    assertThat(CheckCommand.execute("--out", dir.toString(), "--time", "1s")).isEqualTo(2);
  }

  @Test
  void badOptionsExitWithTwoBeforeStartingAnything() {
    assertThat(CheckCommand.execute("--nemesis", "flood")).isEqualTo(2);
    assertThat(CheckCommand.execute("--nodes", "2")).isEqualTo(2);
  }
}
