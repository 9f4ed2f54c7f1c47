package dev.catena.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** DESIGN §4 invariant 7 and §4a "Zombies": the lease on a monotonic clock. */
class LeaseTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final Lease lease = new Lease(100, clock::get);

  @Test
  void invalidUntilFirstRenewal() {
    assertThat(lease.isValid()).isFalse();
    lease.renew(clock.get());
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void lapsesExactlyAtDurationCountedFromSendTime() {
    long sentAt = clock.get();
    clock.addAndGet(40); // the answer arrives 40 ns later
    lease.renew(sentAt);
    clock.set(sentAt + 99);
    assertThat(lease.isValid()).isTrue();
    clock.set(sentAt + 100);
    assertThat(lease.isValid()).isFalse();
  }

  @Test
  void olderRenewalDoesNotMoveTheLeaseBack() {
    lease.renew(1_050);
    lease.renew(1_010);
    clock.set(1_140);
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void revokeDiscardsRenewalsSentBeforeIt() {
    long oldSend = clock.get();
    clock.addAndGet(10);
    lease.revoke();
    lease.renew(oldSend); // a late answer of the lost session
    assertThat(lease.isValid()).isFalse();
    lease.renew(clock.get());
    assertThat(lease.isValid()).isTrue();
  }

  @Test
  void survivesClockValuesNearOverflow() {
    AtomicLong c = new AtomicLong(Long.MAX_VALUE - 10);
    Lease l = new Lease(100, c::get);
    l.renew(c.get());
    c.addAndGet(50); // wraps past Long.MAX_VALUE
    assertThat(l.isValid()).isTrue();
    c.addAndGet(60);
    assertThat(l.isValid()).isFalse();
  }
}
