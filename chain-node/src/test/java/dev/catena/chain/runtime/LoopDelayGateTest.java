package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoopDelayGateTest {
  private static final long MS = 1_000_000L;

  @Test
  void aBurstThatDrainsWithinAnIntervalDoesNotTripIt() {
    var g = new LoopDelayGate(50 * MS, 200 * MS, 0);
    g.observe(0, 100 * MS); // one long wait...
    g.observe(100 * MS, 110 * MS); // ...but the queue drained: the shortest wait is 10 ms
    g.observe(250 * MS, 251 * MS); // closes the interval
    assertThat(g.admits(260 * MS)).isTrue();
  }

  @Test
  void aStandingQueueTripsItAndTheVerdictLapsesWhenNothingIsObserved() {
    var g = new LoopDelayGate(50 * MS, 200 * MS, 0);
    for (long t = 0; t <= 200; t += 10) {
      g.observe(t * MS, (t + 80) * MS); // every call waited 80 ms
    }
    // The interval closed at 200 ms with a shortest wait of 80 ms.
    assertThat(g.admits(285 * MS)).isFalse();
    assertThat(g.lastShortestWaitNanos()).isEqualTo(80 * MS);
    // Everything is refused, so nothing is observed: an interval after the verdict it lapses.
    assertThat(g.admits(400 * MS)).isFalse();
    assertThat(g.admits(401 * MS)).isTrue();
    // The next call found the loop free: its interval closes with a short wait, and stays open.
    g.observe(401 * MS, 402 * MS);
    assertThat(g.admits(403 * MS)).isTrue();
    assertThat(g.lastShortestWaitNanos()).isEqualTo(MS);
  }

  @Test
  void anIntervalWithOnlyShortWaitsClearsTheVerdict() {
    var g = new LoopDelayGate(50 * MS, 200 * MS, 0);
    g.observe(0, 60 * MS);
    g.observe(140 * MS, 210 * MS); // interval closes: shortest 60 ms > 50
    assertThat(g.admits(220 * MS)).isFalse();
    g.observe(300 * MS, 301 * MS);
    g.observe(410 * MS, 411 * MS); // closes: shortest 1 ms
    assertThat(g.admits(412 * MS)).isTrue();
  }
}
