package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small pure parts: /proc parsing, the Raft reference's codec, operation mixes. */
class BenchPartsTest {
  @Test
  void parsesUserPlusSystemTicksEvenWithSpacesInTheCommandName() {
    String stat =
        "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1200 0 0 0 731 269 0 0 20 0 42 0 100 1 2";
    assertThat(ProcCpu.parseTicks(stat)).isEqualTo(1000);
    assertThat(new ProcCpu(100).cpuNanos(-5)).isEqualTo(-1);
    assertThatThrownBy(() -> ProcCpu.parseTicks("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cpuDeltaIgnoresProcessesThatCouldNotBeRead() {
    assertThat(ProcCpu.delta(Map.of("a", 10L, "b", -1L), Map.of("a", 25L, "b", 30L, "c", 5L)))
        .containsEntry("a", 15L)
        .containsEntry("b", 0L)
        .containsEntry("c", 0L);
  }

  @Test
  void codecRoundTripsAPut() {
    byte[] value = {1, 2, 3, 4, 5};
    KvCodec.Put p = KvCodec.decodePut(ByteBuffer.wrap(KvCodec.encodePut("k-é", value)));
    assertThat(new String(p.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("k-é");
    byte[] v = new byte[p.value().remaining()];
    p.value().get(v);
    assertThat(v).containsExactly(value);
    assertThatThrownBy(() -> KvCodec.decodePut(ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 1})))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void opMixesAreSeededAndFollowTheReadFraction() {
    OpMix a = OpMix.generate(Workload.YCSB_B, 20_000, 500, 3);
    OpMix b = OpMix.generate(Workload.YCSB_B, 20_000, 500, 3);
    assertThat(a.keys()).containsExactly(b.keys());
    assertThat(a.reads()).containsExactly(b.reads());
    assertThat(a.readCount() / 20_000.0).isBetween(0.94, 0.96);
    assertThat(OpMix.generate(Workload.PUT_1K, 1000, 10, 1).readCount()).isZero();
    assertThat(OpMix.generate(Workload.GET_1K, 1000, 10, 1).readCount()).isEqualTo(1000);
    assertThat(java.util.Arrays.stream(OpMix.generate(Workload.YCSB_A, 1000, 10, 1).keys()))
        .allMatch(k -> k >= 0 && k < 10);
  }
}
