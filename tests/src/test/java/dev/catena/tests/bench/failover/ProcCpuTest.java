package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcCpuTest {
  @Test
  void readsUserAndSystemTicksAfterANameWithSpacesAndParentheses() {
    String line =
        "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 1203 0 0 0 731 22 0 0 20 0 31 0"
            + " 123456 4000000000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 17"
            + " 1 0 0 0 0 0";
    assertThat(ProcCpu.parseStat(line))
        .isEqualTo(new ProcCpu.ThreadTicks("C2 CompilerThre", new ProcCpu.Ticks(731, 22)));
    String odd = line.replace("(C2 CompilerThre)", "(a) b (c)");
    assertThat(ProcCpu.parseStat(odd).name()).isEqualTo("a) b (c");
    assertThat(ProcCpu.parseStat(odd).ticks()).isEqualTo(new ProcCpu.Ticks(731, 22));
  }

  @Test
  void readsTheMachineLineOfProcStat() {
    String text = "cpu  100 5 40 900 7 1 2 3 0 0\ncpu0 50 2 20 450 3 0 1 1 0 0\n";
    ProcCpu.MachineTicks m = ProcCpu.parseMachine(text);
    assertThat(m).isEqualTo(new ProcCpu.MachineTicks(105, 40, 3, 7, 900, 3));
    assertThat(m.busy()).isEqualTo(105 + 40 + 3 + 3);
  }

  @Test
  void refusesOtherText() {
    assertThatThrownBy(() -> ProcCpu.parseStat("no parentheses here"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcCpu.parseMachine("intr 1 2 3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tellsCompilerAndCollectorThreadsByName() {
    assertThat(CpuWindow.isJit("C2 CompilerThre")).isTrue();
    assertThat(CpuWindow.isJit("C1 CompilerThre")).isTrue();
    assertThat(CpuWindow.isJit("grpc-default-wo")).isFalse();
    assertThat(CpuWindow.isGcOrVm("GC Thread#1")).isTrue();
    assertThat(CpuWindow.isGcOrVm("G1 Conc#0")).isTrue();
    assertThat(CpuWindow.isGcOrVm("VM Thread")).isTrue();
    assertThat(CpuWindow.isGcOrVm("catena-install-")).isFalse();
  }

  @Test
  void measuresThisProcess() throws Exception {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcCpu.process(pid).total()).isPositive();
    assertThat(ProcCpu.threads(pid)).isNotEmpty();
    assertThat(ProcCpu.ticksPerSecond()).isPositive();
  }
}
