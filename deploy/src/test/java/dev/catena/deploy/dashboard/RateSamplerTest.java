package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateSamplerTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(42 * SECOND);
  private final RateSampler sampler = new RateSampler(Duration.ofSeconds(5), now::get);

  private void scrape(String node, double start, long puts, long gets) {
    sampler.record(node, NodeTraffic.fromExposition(NodeTrafficTest.scrape(start, puts, gets)));
  }

  private void advance(long seconds) {
    now.addAndGet(seconds * SECOND);
  }

  @Test
  void aNodeHasNoRatesUntilItsSecondScrape() {
    assertThat(sampler.rates("n1")).isEmpty();
    scrape("n1", 1, 0, 0);
    assertThat(sampler.rates("n1")).isEmpty();
  }

  @Test
  void ratesAreTheDifferenceOverTheTimeBetweenScrapes() {
    scrape("n1", 1, 0, 0);
    advance(2);
    scrape("n1", 1, 100, 40);
    var r = sampler.rates("n1").orElseThrow();
    assertThat(r.writesPerSec()).isCloseTo(50, within(1e-9));
    assertThat(r.readsPerSec()).isCloseTo(20, within(1e-9));
    assertThat(r.writeP99Ms().getAsDouble()).isBetween(1.0, 2.0);
    assertThat(r.readP99Ms().getAsDouble()).isBetween(1.0, 2.0);
  }

  @Test
  void withoutCallsInTheWindowRatesAreZeroAndP99Unknown() {
    scrape("n1", 1, 10, 10);
    advance(1);
    scrape("n1", 1, 10, 10);
    var r = sampler.rates("n1").orElseThrow();
    assertThat(r.writesPerSec()).isZero();
    assertThat(r.writeP99Ms()).isEmpty();
    assertThat(r.readP99Ms()).isEmpty();
  }

  @Test
  void onlyTheLastWindowCounts() {
    scrape("n1", 1, 0, 0);
    advance(1);
    scrape("n1", 1, 1000, 0); // a burst, then 1 put per second
    for (int i = 1; i <= 10; i++) {
      advance(1);
      scrape("n1", 1, 1000 + i, 0);
    }
    // The window holds the scrapes of the last 5 s: 5 puts over 5 s.
    assertThat(sampler.rates("n1").orElseThrow().writesPerSec()).isCloseTo(1, within(1e-9));
  }

  @Test
  void scrapesFurtherApartThanTheWindowStillGiveARate() {
    scrape("n1", 1, 0, 0);
    advance(20);
    scrape("n1", 1, 200, 0);
    assertThat(sampler.rates("n1").orElseThrow().writesPerSec()).isCloseTo(10, within(1e-9));
  }

  @Test
  void aRestartedNodeStartsAfreshInsteadOfShowingANegativeRate() {
    scrape("n1", 1, 500, 500);
    advance(1);
    scrape("n1", 1, 600, 600);
    advance(1);
    scrape("n1", 2, 3, 3); // new process: counters from zero
    assertThat(sampler.rates("n1")).isEmpty();
    advance(1);
    scrape("n1", 2, 13, 3);
    var r = sampler.rates("n1").orElseThrow();
    assertThat(r.writesPerSec()).isCloseTo(10, within(1e-9));
    assertThat(r.readsPerSec()).isZero();
  }

  @Test
  void nodesAreIndependentAndForgottenWhenNotRetained() {
    scrape("n1", 1, 0, 0);
    scrape("n2", 1, 0, 0);
    advance(1);
    scrape("n1", 1, 10, 0);
    scrape("n2", 1, 0, 30);
    assertThat(sampler.rates("n1").orElseThrow().writesPerSec()).isCloseTo(10, within(1e-9));
    assertThat(sampler.rates("n2").orElseThrow().readsPerSec()).isCloseTo(30, within(1e-9));
    sampler.retain(List.of("n2"));
    assertThat(sampler.rates("n1")).isEmpty();
    assertThat(sampler.rates("n2")).isPresent();
  }

  @Test
  void twoScrapesAtTheSameInstantHaveNoRate() {
    scrape("n1", 1, 0, 0);
    scrape("n1", 1, 10, 0);
    assertThat(sampler.rates("n1")).isEmpty();
  }

  @Test
  void theWindowMustBePositive() {
    assertThatThrownBy(() -> new RateSampler(Duration.ZERO, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
