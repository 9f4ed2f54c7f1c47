package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UploadBudgetTest {
  @Test
  void uploadsFitUntilTheBudgetIsFullAndFitAgainOnceReleased() {
    var b = new UploadBudget(10);
    assertThat(b.tryReserve(6)).isTrue();
    assertThat(b.tryReserve(4)).isTrue();
    assertThat(b.tryReserve(1)).isFalse();
    b.release(6);
    assertThat(b.reservedBytes()).isEqualTo(4);
    assertThat(b.tryReserve(6)).isTrue();
    assertThat(b.tryReserve(1)).isFalse();
  }

  @Test
  void oneUploadLargerThanTheBudgetGoesAloneButNotBesideAnother() {
    var b = new UploadBudget(10);
    assertThat(b.tryReserve(25)).isTrue();
    assertThat(b.tryReserve(1)).isFalse();
    b.release(25);
    assertThat(b.tryReserve(1)).isTrue();
    assertThat(b.tryReserve(25)).isFalse();
  }

  @Test
  void releasingMoreThanReservedIsABug() {
    var b = new UploadBudget(10);
    b.tryReserve(3);
    assertThatThrownBy(() -> b.release(4)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theDefaultIsAQuarterOfTheHeapWithinBounds() {
    assertThat(UploadBudget.forHeap(512L << 20).capacityBytes()).isEqualTo(128L << 20);
    assertThat(UploadBudget.forHeap(64L << 20).capacityBytes()).isEqualTo(UploadBudget.MIN_DEFAULT);
    assertThat(UploadBudget.forHeap(64L << 30).capacityBytes()).isEqualTo(UploadBudget.MAX_DEFAULT);
    assertThatThrownBy(() -> new UploadBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
