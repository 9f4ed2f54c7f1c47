package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RateHistoryTest {
  private static RateSampler.Rates rates(double writes) {
    return new RateSampler.Rates(writes, 0, OptionalDouble.empty(), OptionalDouble.empty());
  }

  @Test
  void keepsTheLastSamplesOnOneTimeAxis() {
    var h = new RateHistory(3);
    h.append(1000, Map.of("n1", rates(1)));
    h.append(2000, Map.of("n1", rates(2), "n2", rates(5)));
    h.append(3000, Map.of("n2", rates(6)));
    h.append(4000, Map.of());
    assertThat(h.ticks())
        .extracting(RateHistory.Tick::atMillis)
        .containsExactly(2000L, 3000L, 4000L);
    assertThat(h.nodes()).containsExactly("n1", "n2");
    h.append(5000, Map.of());
    assertThat(h.nodes()).containsExactly("n2");
    assertThatThrownBy(() -> new RateHistory(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
