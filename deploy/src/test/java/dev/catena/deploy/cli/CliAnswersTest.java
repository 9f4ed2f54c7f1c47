package dev.catena.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.deploy.cli.CatenaCliTest.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CLI's answers to bad input and to an unreachable ZooKeeper, as a new user meets them: one
 * line {@code catena: …}, the exit code of the failure's class, and no waiting beyond {@code
 * --timeout}. Cases that need a cluster are in {@link CliClusterTest}.
 */
@Timeout(60)
class CliAnswersTest {
  @Test
  void rangesAreParsedLikeHttp() {
    assertThat(ByteRange.parse("10-19")).isEqualTo(new ByteRange(10, 19, -1));
    assertThat(ByteRange.parse("10-19").length()).isEqualTo(10);
    assertThat(ByteRange.parse("5-5").length()).isEqualTo(1);
    assertThat(ByteRange.parse("7-").length()).isEqualTo(-1);
    assertThat(ByteRange.parse("7-").offset(100)).isEqualTo(7);
    ByteRange suffix = ByteRange.parse("-30");
    assertThat(suffix.isSuffix()).isTrue();
    assertThat(suffix.offset(100)).isEqualTo(70);
    assertThat(suffix.offset(10)).isZero();
    assertThat(suffix.length()).isEqualTo(30);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10-5",
        "abc",
        "",
        "-",
        "1-2-3",
        "-0",
        "a-5",
        "5-b",
        " - 5",
        "99999999999999999999-"
      })
  void malformedRangesAreRefused(String text) {
    assertThatThrownBy(() -> ByteRange.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invertedRangeIsAUsageErrorNotTheWholeObject() {
    Run r = CatenaCliTest.run("get", "b/k", "-", "--range", "10-5");
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err().lines().findFirst().orElseThrow())
        .isEqualTo(
            "catena: Invalid value for option '--range': '10-5': the end 5 is before the start 10");
    assertThat(r.err()).contains("Usage: catena get ").contains("Try 'catena get --help'");
  }

  @Test
  void nonNumericRangeNamesTheAcceptedForms() {
    Run r = CatenaCliTest.run("get", "b/k", "--range", "abc");
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err())
        .startsWith("catena: Invalid value for option '--range': 'abc' is not a byte range")
        .contains(ByteRange.FORMS)
        .doesNotContain("For input string");
  }

  @Test
  void putOfAMissingFileSaysNoSuchFile() {
    Run r = CatenaCliTest.run("put", "b/k", "/nonexistent");
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err().strip()).isEqualTo("catena: no such file /nonexistent");
  }

  @Test
  void malformedTimeoutIsAUsageError() {
    Run r = CatenaCliTest.run("cluster", "status", "--timeout", "soon");
    assertThat(r.exit()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).startsWith("catena: Invalid value for option '--timeout'");
    assertThat(CatenaCliTest.run("ls", "--timeout", "0s").exit())
        .isEqualTo(ExitCodes.INVALID_INPUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cluster status", "get b/k", "ls", "mb b", "fs locks", "fs ls /"})
  void unreachableZooKeeperFailsWithinTheTimeoutInOneLine(String command) throws IOException {
    String zk = "127.0.0.1:" + portWithNothingListening();
    var args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
    args.addAll(java.util.List.of("--zk", zk, "--timeout", "1s"));
    long start = System.nanoTime();
    Run r = CatenaCliTest.run(args.toArray(String[]::new));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err().strip())
        .isEqualTo(
            "catena: cannot reach ZooKeeper at "
                + zk
                + " within 1s; check that it is running (catena local, catena zk) and that --zk"
                + " names it");
    assertThat(took).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void helpDocumentsTheExitCodesAndEveryClientOption() {
    Run top = CatenaCliTest.run("--help");
    assertThat(top.out())
        .contains("Exit codes:")
        .contains("2   invalid input")
        .contains("3   not found")
        .contains("4   unavailable");
    Run put = CatenaCliTest.run("put", "--help");
    assertThat(put.out())
        .contains("--content-type=<contentType>")
        .contains("media type stored with the object")
        .contains("name of the cluster in ZooKeeper")
        .contains("give up connecting to ZooKeeper after this");
  }

  @Test
  void everyCommandThatTalksToAClusterNamesItTheSameWay() {
    for (String[] command :
        List.of(
            new String[] {"manager", "--help"},
            new String[] {"node", "--help"},
            new String[] {"ls", "--help"},
            new String[] {"cluster", "status", "--help"},
            new String[] {"s3", "serve", "--help"})) {
      String help = CatenaCliTest.run(command).out().replaceAll("\\s+", " "); // help wraps lines
      assertThat(help)
          .as(String.join(" ", command))
          .contains("--zk=<zk>")
          .contains("ZooKeeper connect string, HOST:PORT[,HOST:PORT…] (default localhost:2181)")
          .contains("--cluster=<cluster>")
          .contains("name of the cluster in ZooKeeper (default catena)");
    }
  }

  @Test
  void typedClientErrorsAreWrittenInWords() {
    var r = ErrorReport.of(new dev.catena.client.NoSuchKeyException("NO_SUCH_KEY: b/k"));
    assertThat(r).isEqualTo(new ErrorReport(ExitCodes.NOT_FOUND, "no such key b/k"));
    assertThat(ErrorReport.of(new dev.catena.client.CatenaUnavailableException("x")).exitCode())
        .isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(ErrorReport.of(new IllegalStateException("boom\nat line")))
        .isEqualTo(new ErrorReport(ExitCodes.FAILURE, "boom"));
  }

  private static int portWithNothingListening() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
