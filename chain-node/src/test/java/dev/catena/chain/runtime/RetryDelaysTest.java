package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryDelaysTest {
  @Test
  void doublesFrom20MsAndStopsAt1s() {
    assertThat(RetryDelays.millis(1)).isEqualTo(20);
    assertThat(RetryDelays.millis(2)).isEqualTo(40);
    assertThat(RetryDelays.millis(6)).isEqualTo(640);
    assertThat(RetryDelays.millis(7)).isEqualTo(1000);
    assertThat(RetryDelays.millis(1_000_000)).isEqualTo(1000);
    assertThat(RetryDelays.millis(0)).isEqualTo(20);
  }
}
