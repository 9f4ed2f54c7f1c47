package dev.catena.frangipani.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.frangipani.clerk.LockClerk.Held;
import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.zk.ClerkHarness.Clerk;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A revoke in flight survives the loss of the ZooKeeper server the holder is connected to. */
@Timeout(120)
class ZkEnsembleRevokeTest {
  @Test
  void killingTheHoldersServerMidRevokeStillWritesBackReleasesAndGrants() throws Exception {
    try (TestingCluster ensemble = new TestingCluster(3)) {
      ensemble.start();
      try (ClerkHarness h = new ClerkHarness(ensemble.getConnectString())) {
        Clerk a = h.clerk("a");
        Clerk b = h.clerk("b");
        long ta;
        try (Held w = a.locks.acquire("x", LockMode.EXCLUSIVE)) {
          w.markDirty();
          ta = w.token();
        }
        CountDownLatch inWriteBack = new CountDownLatch(1);
        CountDownLatch serverKilled = new CountDownLatch(1);
        a.beforeWriteBack =
            () -> {
              inWriteBack.countDown();
              try {
                serverKilled.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            };
        CompletableFuture<Long> bGrant =
            CompletableFuture.supplyAsync(
                () -> {
                  try (Held held = b.locks.acquire("x", LockMode.EXCLUSIVE)) {
                    h.events.add("b:granted");
                    return held.token();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertThat(inWriteBack.await(30, TimeUnit.SECONDS)).isTrue();
        InstanceSpec aServer =
            ensemble.findConnectionInstance(a.zk.getZookeeperClient().getZooKeeper());
        assertThat(ensemble.killServer(aServer)).isTrue();
        serverKilled.countDown();

        long tb = bGrant.get(60, TimeUnit.SECONDS);
        assertThat(tb).isGreaterThan(ta);
        assertThat(h.events).containsSubsequence("a:writeBack:x", "a:drop:x", "b:granted");
        assertThat(h.events).doesNotContain("a:failDirty:x");
        await().atMost(Duration.ofSeconds(30)).until(a.locks::writable);
        assertThat(a.server.held()).isEmpty();
      }
    }
  }
}
