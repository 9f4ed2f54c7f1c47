package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NodeFenceTest {
  private final AtomicBoolean lease = new AtomicBoolean(true);
  private final AtomicInteger changes = new AtomicInteger();
  private NodeFence fence;

  @BeforeEach
  void setUp() {
    fence = new NodeFence("n1", lease::get);
    fence.onChange(changes::incrementAndGet);
  }

  @Test
  void aNewNodeIsFencedUntilAConfigurationOfItsRegistrationArrives() {
    assertThat(fence.fenced()).isTrue();
    assertThat(fence.refusal()).contains("node n1 fenced: not registered yet");

    fence.configurationRead("inc-2", "inc-2");

    assertThat(fence.fenced()).isFalse();
    assertThat(fence.refusal()).isEmpty();
    assertThat(changes).hasValue(1);
  }

  @Test
  void aConfigurationReadUnderAnEarlierRegistrationNeverLiftsTheFence() {
    fence.configurationRead("inc-2", "inc-2");
    fence.sessionInDoubt("zookeeper connection SUSPENDED");
    assertThat(fence.refusal())
        .contains("node n1 fenced: session in doubt: zookeeper connection SUSPENDED");

    // Delivered late from the old session (e.g. after a SIGSTOP), while a new one registered.
    fence.configurationRead("inc-2", "inc-3");
    assertThat(fence.refusal())
        .contains("node n1 fenced: configuration read under an earlier registration");
    fence.configurationRead("", "inc-3");
    assertThat(fence.fenced()).isTrue();

    fence.configurationRead("inc-3", "inc-3");
    assertThat(fence.fenced()).isFalse();
    assertThat(changes).hasValue(3); // lifted, fenced, lifted
  }

  @Test
  void aConfigurationWithoutAValidLeaseDoesNotLiftTheFence() {
    lease.set(false);
    fence.configurationRead("inc-1", "inc-1");
    assertThat(fence.refusal()).contains("node n1 fenced: no valid lease");
    assertThat(changes).hasValue(0);
  }

  @Test
  void aLapsedLeaseRefusesAtOnceWithoutAnyEvent() {
    fence.configurationRead("inc-1", "inc-1");
    lease.set(false);

    assertThat(fence.fenced()).isFalse(); // no event yet: the replicas still hold "unfenced"
    assertThat(fence.refusal()).contains("node n1 fenced: lease lapsed");
    lease.set(true);
    assertThat(fence.refusal()).isEmpty();
  }

  @Test
  void aStorageFailureFencesForGood() {
    fence.configurationRead("inc-1", "inc-1");

    assertThat(fence.storageFailed("persist of seq 7: disk full")).isTrue();
    assertThat(fence.storageFailed("again")).isFalse();
    assertThat(changes).hasValue(2);

    fence.sessionConfirmed();
    fence.configurationRead("inc-1", "inc-1");
    assertThat(fence.fenced()).isTrue();
    assertThat(fence.storageFailure()).contains("persist of seq 7: disk full");
    assertThat(fence.refusal())
        .contains("node n1 fenced: storage failed: persist of seq 7: disk full");
    assertThat(changes).hasValue(2);
  }

  @Test
  void changesAreReportedOnlyWhenTheFencedStateFlips() {
    fence.sessionInDoubt("SUSPENDED");
    fence.sessionInDoubt("LOST");
    assertThat(changes).hasValue(0);
    fence.sessionConfirmed();
    fence.sessionConfirmed();
    assertThat(changes).hasValue(1);
  }

  @Test
  void theVerdictRanksStorageThenSessionThenLease() {
    assertThat(NodeFence.verdict("io", "doubt", false)).contains("storage failed: io");
    assertThat(NodeFence.verdict(null, "doubt", false)).contains("doubt");
    assertThat(NodeFence.verdict(null, null, false)).contains("lease lapsed");
    assertThat(NodeFence.verdict(null, null, true)).isEmpty();
  }

  @Test
  void aNodeWithoutASessionServesUntilStorageFails() {
    var single = NodeFence.withoutSession("n9");
    assertThat(single.refusal()).isEmpty();
    single.storageFailed("boom");
    assertThat(single.refusal()).contains("node n9 fenced: storage failed: boom");
  }
}
