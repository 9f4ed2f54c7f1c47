package dev.catena.frangipani.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.lock.LockQueue.Kind;
import dev.catena.frangipani.lock.LockQueue.RevokeResponse;
import dev.catena.frangipani.lock.LockTable.Grant;
import dev.catena.frangipani.lock.LockTable.Outcome;
import dev.catena.frangipani.lock.LockTable.Revoke;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LockTableTest {
  private final LockTable table = new LockTable();

  @Test
  void firstRequestIsGrantedAtOnceWithoutRevokes() {
    Outcome o = table.request("a", "c1", LockMode.EXCLUSIVE);
    assertThat(o.granted()).extracting(Grant::clerk).containsExactly("c1");
    assertThat(o.revokes()).isEmpty();
  }

  @Test
  void sharedRequestsAreCompatible() {
    table.request("a", "c1", LockMode.SHARED);
    Outcome o = table.request("a", "c2", LockMode.SHARED);
    assertThat(o.granted()).extracting(Grant::clerk).containsExactly("c2");
    assertThat(o.revokes()).isEmpty();
    assertThat(table.holders("a")).extracting(Grant::clerk).containsExactly("c1", "c2");
  }

  @Test
  void exclusiveWaitsAndRevokesEveryHolderAhead() {
    table.request("a", "c1", LockMode.SHARED);
    table.request("a", "c2", LockMode.SHARED);
    Outcome o = table.request("a", "c3", LockMode.EXCLUSIVE);
    assertThat(o.granted()).isEmpty();
    assertThat(o.revokes()).containsExactly(new Revoke("a", "c1"), new Revoke("a", "c2"));
    assertThat(table.release("a", "c1").granted()).isEmpty();
    assertThat(table.release("a", "c2").granted()).extracting(Grant::clerk).containsExactly("c3");
  }

  @Test
  void exclusiveWaiterBlocksLaterReadersFifo() {
    table.request("a", "c1", LockMode.SHARED);
    table.request("a", "c2", LockMode.EXCLUSIVE);
    Outcome reader = table.request("a", "c3", LockMode.SHARED);
    assertThat(reader.granted()).as("a reader behind a waiting writer waits").isEmpty();
    assertThat(reader.revokes()).containsExactly(new Revoke("a", "c2"));
    assertThat(table.release("a", "c1").granted()).extracting(Grant::clerk).containsExactly("c2");
    assertThat(table.release("a", "c2").granted()).extracting(Grant::clerk).containsExactly("c3");
  }

  @Test
  void tokensGrowWithEveryGrant() {
    long t1 = table.request("a", "c1", LockMode.EXCLUSIVE).granted().get(0).token();
    table.request("a", "c2", LockMode.EXCLUSIVE);
    long t2 = table.release("a", "c1").granted().get(0).token();
    assertThat(t2).isGreaterThan(t1);
  }

  @Test
  void downgradeKeepsASharedGrantWithANewTokenAndAdmitsReaders() {
    long t1 = table.request("a", "c1", LockMode.EXCLUSIVE).granted().get(0).token();
    table.request("a", "c2", LockMode.SHARED);
    Outcome o = table.downgrade("a", "c1");
    assertThat(o.granted())
        .extracting(Grant::clerk, Grant::mode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c1", LockMode.SHARED),
            org.assertj.core.groups.Tuple.tuple("c2", LockMode.SHARED));
    assertThat(o.granted().get(0).token()).isGreaterThan(t1);
  }

  @Test
  void aDowngradedGrantBehindAWriterStillBlocksIt() {
    table.request("a", "c1", LockMode.EXCLUSIVE);
    table.request("a", "c2", LockMode.SHARED);
    table.request("a", "c3", LockMode.EXCLUSIVE);
    table.downgrade("a", "c1");
    assertThat(table.release("a", "c2").granted()).as("c1's downgraded grant still held").isEmpty();
    List<Entry> q = table.queue("a");
    assertThat(LockQueue.toRevoke(q, 0)).extracting(Entry::clerk).containsExactly("c1");
    assertThat(table.release("a", "c1").granted()).extracting(Grant::clerk).containsExactly("c3");
  }

  @Test
  void revokedWriterDowngradesOnlyWhenOnlyReadersWait() {
    List<Entry> readersWait =
        List.of(new Entry(1, "c1", Kind.EXCLUSIVE), new Entry(2, "c2", Kind.SHARED));
    List<Entry> writerWaits =
        List.of(
            new Entry(1, "c1", Kind.EXCLUSIVE),
            new Entry(2, "c2", Kind.SHARED),
            new Entry(3, "c3", Kind.EXCLUSIVE));
    assertThat(LockQueue.revokeResponse(readersWait, 0)).isEqualTo(RevokeResponse.DOWNGRADE);
    assertThat(LockQueue.revokeResponse(writerWaits, 0)).isEqualTo(RevokeResponse.RELEASE);
    assertThat(LockQueue.revokeResponse(List.of(new Entry(1, "c1", Kind.SHARED)), 0))
        .isEqualTo(RevokeResponse.RELEASE);
  }

  @Test
  void expiryDropsEveryEntryOfTheClerk() {
    table.request("a", "c1", LockMode.EXCLUSIVE);
    table.request("b", "c1", LockMode.SHARED);
    table.request("a", "c2", LockMode.SHARED);
    assertThat(table.expire("c1").granted()).extracting(Grant::lock).containsExactly("a");
    assertThat(table.locks()).containsExactly("a");
  }

  @Test
  void aClerkCannotQueueTwiceOrDowngradeWhatItDoesNotHold() {
    table.request("a", "c1", LockMode.SHARED);
    assertThatThrownBy(() -> table.request("a", "c1", LockMode.SHARED))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> table.downgrade("a", "c1")).isInstanceOf(IllegalStateException.class);
  }
}
