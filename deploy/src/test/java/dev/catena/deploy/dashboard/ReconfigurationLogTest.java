package dev.catena.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.deploy.zk.ClusterAdmin.ChainStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconfigurationLogTest {
  private final ReconfigurationLog log = new ReconfigurationLog(3);

  private static ChainStatus chain(int id, long epoch, List<String> active, String... syncing) {
    return new ChainStatus(id, epoch, active, List.of(syncing), List.of());
  }

  @Test
  void theFirstObservationIsTheBaseline() {
    log.observe(List.of(chain(0, 7, List.of("n1", "n2", "n3"))), 1000);
    assertThat(log.recent()).isEmpty();
    log.observe(List.of(chain(0, 7, List.of("n1", "n2", "n3"))), 2000);
    assertThat(log.recent()).as("same epoch: nothing changed").isEmpty();
  }

  @Test
  void aKilledTailIsRemovedThenASpareJoinsAndIsPromoted() {
    log.observe(List.of(chain(0, 1, List.of("n1", "n2", "n3"))), 1000);
    log.observe(List.of(chain(0, 2, List.of("n1", "n2"))), 2000);
    log.observe(List.of(chain(0, 3, List.of("n1", "n2"), "n4")), 3000);
    log.observe(List.of(chain(0, 4, List.of("n1", "n2", "n4"))), 4000);

    var changes = log.recent();
    assertThat(changes).extracting(ReconfigurationLog.Change::toEpoch).containsExactly(4L, 3L, 2L);
    var removed = changes.get(2);
    assertThat(removed.atMillis()).isEqualTo(2000);
    assertThat(removed.fromEpoch()).isEqualTo(1);
    assertThat(removed.before()).containsExactly("n1", "n2", "n3");
    assertThat(removed.after()).containsExactly("n1", "n2");
    assertThat(removed.changes()).containsExactly("n3 removed", "tail n3 → n2");
    assertThat(changes.get(1).changes()).containsExactly("n4 joins (syncing)");
    assertThat(changes.get(1).afterSyncing()).containsExactly("n4");
    assertThat(changes.get(0).changes()).containsExactly("n4 promoted", "tail n2 → n4");
  }

  @Test
  void aHeadFailureNamesTheNewHead() {
    assertThat(
            ReconfigurationLog.describe(
                chain(1, 5, List.of("n2", "n3", "n1")), chain(1, 6, List.of("n3", "n1"))))
        .containsExactly("n2 removed", "head n2 → n3");
  }

  @Test
  void stepsSeenTogetherAreOneChangeOverSeveralEpochs() {
    log.observe(List.of(chain(0, 1, List.of("n1", "n2", "n3"))), 1000);
    log.observe(List.of(chain(0, 3, List.of("n1", "n2"), "n4")), 2000);
    var c = log.recent().get(0);
    assertThat(c.fromEpoch()).isEqualTo(1);
    assertThat(c.toEpoch()).isEqualTo(3);
    assertThat(c.changes()).containsExactly("n3 removed", "n4 joins (syncing)", "tail n3 → n2");
  }

  @Test
  void anEpochChangeWithTheSameMembersSaysSo() {
    log.observe(List.of(chain(0, 1, List.of("n1", "n2"))), 1000);
    log.observe(List.of(chain(0, 2, List.of("n1", "n2"))), 2000); // a member marked leaving
    assertThat(log.recent().get(0).changes()).containsExactly("members unchanged");
  }

  @Test
  void aChainFirstSeenLaterIsLoggedAsCreated() {
    log.observe(List.of(), 1000);
    log.observe(List.of(chain(4, 1, List.of("n1"))), 2000);
    var c = log.recent().get(0);
    assertThat(c.chainId()).isEqualTo(4);
    assertThat(c.fromEpoch()).isZero();
    assertThat(c.changes()).containsExactly("created");
  }

  @Test
  void keepsOnlyTheNewestChanges() {
    for (int epoch = 1; epoch <= 10; epoch++) {
      log.observe(List.of(chain(0, epoch, List.of("n1"))), epoch * 1000L);
    }
    assertThat(log.recent())
        .extracting(ReconfigurationLog.Change::toEpoch)
        .containsExactly(10L, 9L, 8L);
    assertThatThrownBy(() -> new ReconfigurationLog(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
