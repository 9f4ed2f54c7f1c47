package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
  private static BenchOptions parse(String... args) {
    var cmd = new BenchCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.options();
  }

  @Test
  void quickShrinksTheDefaultsAndExplicitOptionsWin() {
    BenchOptions full = parse();
    assertThat(full.rounds()).isEqualTo(3);
    assertThat(full.configs()).containsExactly(SystemConfig.values());
    BenchOptions quick = parse("--quick", "--rounds", "2");
    assertThat(quick.rounds()).isEqualTo(2);
    assertThat(quick.keys()).isEqualTo(1000);
    assertThat(quick.phase().toMillis()).isEqualTo(500);
  }

  @Test
  void listsAreParsedIntoCanonicalOrder() {
    BenchOptions o = parse("--configs", "ratis-3,chain-1", "--workloads", "get-1k,put-1k");
    assertThat(o.configs()).containsExactly(SystemConfig.CHAIN_1, SystemConfig.RATIS_3);
    assertThat(o.workloads()).containsExactly(Workload.PUT_1K, Workload.GET_1K);
  }

  @Test
  void ratisPropertiesOverrideTheBenchmarksSettings() {
    BenchOptions o = parse("--ratis-property", "raft.server.log.appender.wait-time.min=10ms");
    assertThat(RatisSettings.settings(o.fsync(), o.ratisProperties()))
        .containsEntry("raft.server.log.appender.wait-time.min", "10ms")
        .containsEntry("raft.server.log.unsafe-flush.enabled", "false");
    assertThatThrownBy(() -> parse("--ratis-property", "server.port=1"))
        .isInstanceOf(InvalidBenchOptionsException.class);
  }

  @Test
  void ratisDurabilityFollowsTheFsyncPolicy() {
    var none =
        RatisSettings.settings(dev.catena.chain.storage.FsyncPolicy.NONE, java.util.Map.of());
    assertThat(none).containsEntry("raft.server.log.unsafe-flush.enabled", "true");
    var always =
        RatisSettings.settings(dev.catena.chain.storage.FsyncPolicy.ALWAYS, java.util.Map.of());
    assertThat(always)
        .containsEntry("raft.server.log.unsafe-flush.enabled", "false")
        .containsEntry("raft.server.log.force.sync.num", "1");
  }

  @Test
  void badValuesAreTypedErrors() {
    assertThatThrownBy(() -> parse("--configs", "paxos"))
        .isInstanceOf(InvalidBenchOptionsException.class)
        .hasMessageContaining("paxos");
    assertThatThrownBy(() -> parse("--fsync", "sometimes"))
        .isInstanceOf(InvalidBenchOptionsException.class);
    assertThatThrownBy(() -> parse("--rounds", "0"))
        .isInstanceOf(InvalidBenchOptionsException.class);
    assertThatThrownBy(() -> parse("--node-read-limit", "-1"))
        .isInstanceOf(InvalidBenchOptionsException.class);
  }

  @Test
  void badOptionsExitWithCodeTwoAndAUsageLine() {
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = BenchCommand.execute("--rounds", "0");
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--rounds must be 1..100")
        .contains("Usage: bench");
    assertThat(BenchCommand.execute("--no-such-option")).isEqualTo(2);
  }
}
