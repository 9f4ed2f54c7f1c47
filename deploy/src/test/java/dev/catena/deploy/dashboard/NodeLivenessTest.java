package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeLivenessTest {
  private final NodeLiveness liveness = new NodeLiveness(Duration.ofSeconds(60));

  @Test
  void aNodeListedAsNotLiveIsDownFromTheFirstSuchObservation() {
    liveness.observe(Map.of("n1", true, "n2", true), 1_000);
    liveness.observe(Map.of("n1", true, "n2", false), 2_000);
    liveness.observe(Map.of("n1", true, "n2", false), 3_000);
    assertThat(liveness.downSince("n1")).isEmpty();
    assertThat(liveness.downSince("n2")).contains(2_000L);
    assertThat(liveness.departed()).isEmpty();
  }

  @Test
  void aNodeNoLongerListedStaysDownUntilItReturnsOrIsForgotten() {
    liveness.observe(Map.of("n1", true, "n3", true), 1_000);
    liveness.observe(Map.of("n1", true, "n3", false), 2_000); // session gone, still in chains
    liveness.observe(Map.of("n1", true), 3_000); // repaired: in no chain any more
    assertThat(liveness.departed()).containsExactly("n3");
    assertThat(liveness.downSince("n3")).contains(2_000L);

    liveness.observe(Map.of("n1", true, "n3", true), 4_000); // restarted
    assertThat(liveness.departed()).isEmpty();
    assertThat(liveness.downSince("n3")).isEmpty();

    liveness.observe(Map.of("n1", true), 5_000);
    assertThat(liveness.downSince("n3")).as("departed at once this time").contains(5_000L);
    liveness.observe(Map.of("n1", true), 65_000);
    assertThat(liveness.departed()).containsExactly("n3");
    liveness.observe(Map.of("n1", true), 65_001);
    assertThat(liveness.departed()).as("forgotten after the retention").isEmpty();
    assertThat(liveness.downSince("n3")).isEmpty();
  }

  @Test
  void aNodeNeverSeenIsUnknown() {
    assertThat(liveness.downSince("n9")).isEmpty();
    liveness.observe(Map.of("n9", false), 1_000);
    assertThat(liveness.downSince("n9")).contains(1_000L);
  }
}
