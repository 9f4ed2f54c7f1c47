package dev.catena.tests.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.tests.history.History;
import dev.catena.tests.history.OpStatus;
import dev.catena.tests.history.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LostWriteDetectorTest {
  @Test
  void lastAcknowledgedWriteMissingFromFinalReadIsLost() {
    History h = new Hist().write(0, "1", 0, 1).write(0, "2", 2, 3).build();
    List<LostWrite> lost = LostWriteDetector.detect(h, Map.of("x", Optional.of("1")));
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0).write().value()).isEqualTo("2");
    assertThat(lost.get(0).toString()).contains("W(x)=2", "final read: 1");
    // "1" itself was legitimately overwritten by "2": not reported.
    assertThat(LostWriteDetector.detect(h, Map.of("x", Optional.empty())))
        .extracting(l -> l.write().value())
        .containsExactly("2");
  }

  @Test
  void finalReadOfTheWriteIsFine() {
    History h = new Hist().write(0, "1", 0, 1).write(0, "2", 2, 3).build();
    assertThat(LostWriteDetector.detect(h, Map.of("x", Optional.of("2")))).isEmpty();
  }

  @Test
  void concurrentOrLaterMutationsMayLegallyHideAWrite() {
    // Concurrent OK write, later delete, or an INFO write: any could come last.
    History concurrent = new Hist().write(0, "1", 0, 10).write(1, "2", 1, 9).build();
    assertThat(LostWriteDetector.detect(concurrent, Map.of("x", Optional.of("1")))).isEmpty();
    History deleted = new Hist().write(0, "1", 0, 1).delete(0, 2, 3).build();
    assertThat(LostWriteDetector.detect(deleted, Map.of("x", Optional.empty()))).isEmpty();
    History info = new Hist().write(0, "1", 0, 1).writeInfo(0, "2", 2).build();
    assertThat(LostWriteDetector.detect(info, Map.of("x", Optional.of("2")))).isEmpty();
  }

  @Test
  void failedWritesNeitherCountAsLostNorHideOthers() {
    History h =
        History.of(
            Operation.write(0, 0, "x", "1", 0, 1, OpStatus.OK),
            Operation.write(1, 0, "x", "2", 2, 3, OpStatus.FAIL));
    assertThat(LostWriteDetector.detect(h, Map.of("x", Optional.of("1")))).isEmpty();
    assertThat(LostWriteDetector.detect(h, Map.of("x", Optional.of("2")))).hasSize(1);
  }

  @Test
  void missingFinalReadIsATypedError() {
    History h = new Hist().write(0, "1", 0, 1).build();
    assertThatThrownBy(() -> LostWriteDetector.detect(h, Map.of()))
        .isInstanceOf(MissingFinalReadException.class)
        .hasMessageContaining("'x'");
  }
}
