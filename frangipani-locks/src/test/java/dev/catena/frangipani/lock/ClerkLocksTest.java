package dev.catena.frangipani.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.frangipani.lock.ClerkLocks.Acquire;
import dev.catena.frangipani.lock.ClerkLocks.Downgrade;
import dev.catena.frangipani.lock.ClerkLocks.DropCache;
import dev.catena.frangipani.lock.ClerkLocks.FailDirty;
import dev.catena.frangipani.lock.ClerkLocks.Release;
import dev.catena.frangipani.lock.ClerkLocks.WriteBack;
import dev.catena.frangipani.lock.LockQueue.RevokeResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClerkLocksTest {
  private final ClerkLocks clerk = new ClerkLocks();

  private void hold(String lock, LockMode mode, long token) {
    assertThat(clerk.begin(lock, mode).effects()).containsExactly(new Acquire(lock, mode));
    clerk.granted(lock, mode, token);
  }

  @Test
  void afterUseTheLockStaysIdleAndIsReusedWithoutTheServer() {
    hold("a", LockMode.EXCLUSIVE, 7);
    assertThat(clerk.begin("a", LockMode.EXCLUSIVE).admitted()).isTrue();
    assertThat(clerk.end("a", true)).isEmpty();
    assertThat(clerk.idleLocks()).containsExactly("a");
    ClerkLocks.Step again = clerk.begin("a", LockMode.SHARED);
    assertThat(again.admitted()).isTrue();
    assertThat(again.token()).isEqualTo(7);
    assertThat(again.effects()).isEmpty();
  }

  @Test
  void revokeWaitsForTheCurrentUserThenWritesBackThenReleases() {
    hold("a", LockMode.EXCLUSIVE, 7);
    clerk.begin("a", LockMode.EXCLUSIVE);
    assertThat(clerk.revokeRequested("a", RevokeResponse.RELEASE)).isEmpty();
    assertThat(clerk.begin("a", LockMode.SHARED).admitted())
        .as("no new user after a revoke")
        .isFalse();
    assertThat(clerk.end("a", true)).containsExactly(new WriteBack("a"));
    assertThat(clerk.writtenBack("a")).containsExactly(new DropCache("a"), new Release("a"));
    clerk.released("a");
    assertThat(clerk.view()).isEmpty();
  }

  @Test
  void aFailedWriteBackKeepsTheLockDirtyAndIsRetried() {
    hold("a", LockMode.EXCLUSIVE, 7);
    clerk.begin("a", LockMode.EXCLUSIVE);
    clerk.end("a", true);
    assertThat(clerk.revokeRequested("a", RevokeResponse.RELEASE))
        .containsExactly(new WriteBack("a"));
    assertThat(clerk.writeBackFailed("a")).isEmpty();
    assertThat(clerk.begin("a", LockMode.SHARED).admitted()).as("revoke still pending").isFalse();
    assertThat(clerk.retryRevokes()).containsExactly(new WriteBack("a"));
    assertThat(clerk.writtenBack("a")).containsExactly(new DropCache("a"), new Release("a"));
  }

  @Test
  void cleanIdleLockIsReleasedAtOnceOnRevoke() {
    hold("a", LockMode.SHARED, 3);
    clerk.begin("a", LockMode.SHARED);
    clerk.end("a", false);
    assertThat(clerk.revokeRequested("a", RevokeResponse.RELEASE))
        .containsExactly(new DropCache("a"), new Release("a"));
  }

  @Test
  void downgradeKeepsTheCacheAndTheLockShared() {
    hold("a", LockMode.EXCLUSIVE, 3);
    clerk.begin("a", LockMode.EXCLUSIVE);
    clerk.end("a", true);
    assertThat(clerk.revokeRequested("a", RevokeResponse.DOWNGRADE))
        .containsExactly(new WriteBack("a"));
    assertThat(clerk.writtenBack("a")).containsExactly(new Downgrade("a"));
    assertThat(clerk.downgraded("a", 9)).isEmpty();
    assertThat(clerk.heldMode("a")).isEqualTo(LockMode.SHARED);
    ClerkLocks.Step read = clerk.begin("a", LockMode.SHARED);
    assertThat(read.admitted()).isTrue();
    assertThat(read.token()).isEqualTo(9);
  }

  @Test
  void aReleaseAskedDuringADowngradeFollowsIt() {
    hold("a", LockMode.EXCLUSIVE, 3);
    assertThat(clerk.begin("a", LockMode.EXCLUSIVE).admitted()).isTrue();
    clerk.end("a", false);
    assertThat(clerk.revokeRequested("a", RevokeResponse.DOWNGRADE))
        .containsExactly(new Downgrade("a"));
    assertThat(clerk.revokeRequested("a", RevokeResponse.RELEASE)).isEmpty();
    assertThat(clerk.downgraded("a", 4)).containsExactly(new DropCache("a"), new Release("a"));
  }

  @Test
  void revokeBeforeTheGrantLetsTheRequesterUseItOnceThenGoes() {
    clerk.begin("a", LockMode.EXCLUSIVE);
    clerk.revokeRequested("a", RevokeResponse.RELEASE);
    clerk.granted("a", LockMode.EXCLUSIVE, 5);
    assertThat(clerk.begin("a", LockMode.EXCLUSIVE).admitted()).isTrue();
    assertThat(clerk.end("a", false)).containsExactly(new DropCache("a"), new Release("a"));
  }

  @Test
  void abandonedGrantStillHonoursThePendingRevoke() {
    clerk.begin("a", LockMode.EXCLUSIVE);
    clerk.revokeRequested("a", RevokeResponse.RELEASE);
    clerk.granted("a", LockMode.EXCLUSIVE, 5);
    assertThat(clerk.abandon("a")).containsExactly(new DropCache("a"), new Release("a"));
  }

  @Test
  void localExclusiveUserExcludesOtherLocalUsers() {
    hold("a", LockMode.EXCLUSIVE, 1);
    assertThat(clerk.begin("a", LockMode.EXCLUSIVE).admitted()).isTrue();
    assertThat(clerk.begin("a", LockMode.SHARED).admitted()).isFalse();
    clerk.end("a", false);
    assertThat(clerk.begin("a", LockMode.SHARED).admitted()).isTrue();
    assertThat(clerk.begin("a", LockMode.SHARED).admitted()).isTrue();
    assertThat(clerk.begin("a", LockMode.EXCLUSIVE).admitted()).isFalse();
  }

  @Test
  void upgradeReleasesTheSharedGrantFirst() {
    hold("a", LockMode.SHARED, 1);
    ClerkLocks.Step up = clerk.begin("a", LockMode.EXCLUSIVE);
    assertThat(up.admitted()).isFalse();
    assertThat(up.effects()).containsExactly(new DropCache("a"), new Release("a"));
    clerk.released("a");
    assertThat(clerk.begin("a", LockMode.EXCLUSIVE).effects())
        .containsExactly(new Acquire("a", LockMode.EXCLUSIVE));
  }

  @Test
  void sessionLossFailsDirtyCallersDropsEverythingAndKillsTheClerk() {
    hold("a", LockMode.EXCLUSIVE, 1);
    hold("b", LockMode.SHARED, 2);
    clerk.begin("a", LockMode.EXCLUSIVE);
    clerk.end("a", true);
    assertThat(clerk.sessionLost())
        .containsExactly(new FailDirty("a"), new DropCache("a"), new DropCache("b"));
    assertThat(clerk.writable()).isFalse();
    assertThatThrownBy(() -> clerk.begin("a", LockMode.SHARED))
        .isInstanceOf(LeaseLostException.class);
  }

  @Test
  void suspensionStopsWritesUntilResumed() {
    clerk.suspended();
    assertThat(clerk.writable()).isFalse();
    clerk.resumed();
    assertThat(clerk.writable()).isTrue();
  }

  @Test
  void dirtyDataUnderASharedLockIsABug() {
    hold("a", LockMode.SHARED, 1);
    clerk.begin("a", LockMode.SHARED);
    assertThatThrownBy(() -> clerk.end("a", true)).isInstanceOf(IllegalStateException.class);
  }
}
