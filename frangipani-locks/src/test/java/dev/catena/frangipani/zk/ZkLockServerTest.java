package dev.catena.frangipani.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.catena.frangipani.clerk.LockClerk.Held;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.zk.ClerkHarness.Clerk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock service and clerk against a real in-process ZooKeeper server (Curator). */
@Timeout(60)
class ZkLockServerTest {
  private TestingServer server;
  private ClerkHarness h;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    h = new ClerkHarness(server.getConnectString());
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    h.close();
    server.close();
  }

  private CompletableFuture<Long> acquireAsync(Clerk c, String lock, LockMode mode) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Held held = c.locks.acquire(lock, mode)) {
            h.events.add(c.id + ":granted:" + lock + ":" + mode);
            return held.token();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        pool);
  }

  @Test
  void grantCarriesTheCzxidOfTheLockNodeAsToken() throws Exception {
    Clerk a = h.clerk("a");
    try (Held held = a.locks.acquire("x", LockMode.EXCLUSIVE)) {
      assertThat(held.token()).isPositive();
      assertThat(a.server.held()).containsEntry("x", LockMode.EXCLUSIVE);
      var children =
          a.zk.getChildren().forPath(new LockPaths(ClerkHarness.CLUSTER, "ns").lock("x"));
      assertThat(children).hasSize(1);
      long czxid =
          a.zk
              .checkExists()
              .forPath(new LockPaths(ClerkHarness.CLUSTER, "ns").lock("x") + "/" + children.get(0))
              .getCzxid();
      assertThat(held.token()).isEqualTo(czxid);
    }
  }

  @Test
  void stickyReacquireIssuesNoZooKeeperOperation() throws Exception {
    Clerk a = h.clerk("a");
    a.locks.acquire("x", LockMode.EXCLUSIVE).close();
    long before = a.zkOps.get();
    assertThat(before).as("the cold acquire did talk to ZooKeeper").isPositive();
    for (int i = 0; i < 100; i++) {
      try (Held held = a.locks.acquire("x", i % 2 == 0 ? LockMode.SHARED : LockMode.EXCLUSIVE)) {
        held.markDirty();
      }
    }
    assertThat(a.zkOps.get() - before).isZero();
    assertThat(a.locks.serverAcquires()).isEqualTo(1);
  }

  @Test
  void revokeFinishesTheOpWritesBackReleasesThenGrants() throws Exception {
    Clerk a = h.clerk("a");
    Clerk b = h.clerk("b");
    Held op = a.locks.acquire("x", LockMode.EXCLUSIVE);
    long tokenA = op.token();
    op.markDirty();
    CompletableFuture<Long> bGrant = acquireAsync(b, "x", LockMode.EXCLUSIVE);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.locks.revokesHandled() > 0);
    assertThat(bGrant).isNotDone();
    h.events.add("a:opEnd");
    op.close();
    long tokenB = bGrant.get(20, TimeUnit.SECONDS);
    assertThat(h.events)
        .containsSubsequence("a:opEnd", "a:writeBack:x", "a:drop:x", "b:granted:x:EXCLUSIVE");
    assertThat(tokenB).isGreaterThan(tokenA);
    assertThat(a.server.held()).isEmpty();
  }

  @Test
  void sharedHoldersCoexistAndAWriterRevokesThemAll() throws Exception {
    Clerk a = h.clerk("a");
    Clerk b = h.clerk("b");
    Clerk c = h.clerk("c");
    Held ra = a.locks.acquire("x", LockMode.SHARED);
    Held rb = b.locks.acquire("x", LockMode.SHARED);
    assertThat(a.server.held()).containsEntry("x", LockMode.SHARED);
    assertThat(b.server.held()).containsEntry("x", LockMode.SHARED);
    ra.close();
    rb.close();
    long tc = acquireAsync(c, "x", LockMode.EXCLUSIVE).get(20, TimeUnit.SECONDS);
    assertThat(tc).isGreaterThan(Math.max(ra.token(), rb.token()));
    assertThat(h.events).contains("a:drop:x", "b:drop:x");
    assertThat(h.events).doesNotContain("a:writeBack:x", "b:writeBack:x");
  }

  @Test
  void waitersAreServedInArrivalOrderAndAWaitingWriterBlocksLaterReaders() throws Exception {
    Clerk a = h.clerk("a");
    Clerk b = h.clerk("b");
    Clerk c = h.clerk("c");
    Held op = a.locks.acquire("x", LockMode.EXCLUSIVE);
    CompletableFuture<Long> bWrite = acquireAsync(b, "x", LockMode.EXCLUSIVE);
    LockPaths paths = new LockPaths(ClerkHarness.CLUSTER, "ns");
    await().until(() -> a.zk.getChildren().forPath(paths.lock("x")).size() == 2);
    CompletableFuture<Long> cRead = acquireAsync(c, "x", LockMode.SHARED);
    await().until(() -> a.zk.getChildren().forPath(paths.lock("x")).size() == 3);
    op.close();
    long tb = bWrite.get(20, TimeUnit.SECONDS);
    long tc = cRead.get(20, TimeUnit.SECONDS);
    assertThat(h.events).containsSubsequence("b:granted:x:EXCLUSIVE", "c:granted:x:SHARED");
    assertThat(tc).isGreaterThan(tb);
  }

  @Test
  void aReaderMakesTheWriterDowngradeAndKeepItsCache() throws Exception {
    Clerk a = h.clerk("a");
    Clerk b = h.clerk("b");
    long ta;
    try (Held w = a.locks.acquire("x", LockMode.EXCLUSIVE)) {
      w.markDirty();
      ta = w.token();
    }
    acquireAsync(b, "x", LockMode.SHARED).get(20, TimeUnit.SECONDS);
    assertThat(h.events).contains("a:writeBack:x").doesNotContain("a:drop:x");
    await().until(() -> LockMode.SHARED.equals(a.server.held().get("x")));
    long before = a.zkOps.get();
    try (Held r = a.locks.acquire("x", LockMode.SHARED)) {
      assertThat(r.token()).as("the downgraded grant has a token of its own").isGreaterThan(ta);
    }
    assertThat(a.zkOps.get()).as("still sticky after the downgrade").isEqualTo(before);
  }

  @Test
  void sessionExpiryFailsDirtyCallersAndHoldsTheLocksUntilRecovery() throws Exception {
    Clerk a = h.clerk("a", 4000);
    Clerk b = h.clerk("b");
    try (Held w = a.locks.acquire("x", LockMode.EXCLUSIVE)) {
      w.markDirty();
    }
    List<String> replayed = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch replayMayFinish = new CountDownLatch(1);
    ZkRecoveryDaemon daemon =
        new ZkRecoveryDaemon(
                h.admin(),
                new LockPaths(ClerkHarness.CLUSTER, "ns"),
                "daemon",
                clerk -> {
                  replayMayFinish.await();
                  replayed.add(clerk);
                  h.events.add("replayed:" + clerk);
                  return 1;
                })
            .start();
    h.add(daemon);
    KillSession.kill(a.zk.getZookeeperClient().getZooKeeper());
    await().atMost(Duration.ofSeconds(20)).until(() -> h.events.contains("a:failDirty:x"));
    assertThatThrownBy(() -> a.locks.acquire("x", LockMode.SHARED))
        .isInstanceOf(LeaseLostException.class);
    assertThat(a.locks.writable()).isFalse();

    CompletableFuture<Long> bGrant = acquireAsync(b, "x", LockMode.EXCLUSIVE);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> b.zk.getChildren().forPath(new LockPaths("fs", "ns").lock("x")).size() == 1);
    assertThat(bGrant).as("a's lock is not granted before its log is replayed").isNotDone();
    replayMayFinish.countDown();
    bGrant.get(20, TimeUnit.SECONDS);
    assertThat(replayed).containsExactly("a");
    assertThat(h.events).containsSubsequence("replayed:a", "b:granted:x:EXCLUSIVE");
    assertThat(RecoveryBarrier.deadClerks(b.zk, new LockPaths("fs", "ns"))).isEmpty();
  }

  @Test
  void cleanCloseLeavesNothingToRecover() throws Exception {
    Clerk a = h.clerk("a");
    a.locks.acquire("x", LockMode.EXCLUSIVE).close();
    a.locks.close();
    LockPaths paths = new LockPaths(ClerkHarness.CLUSTER, "ns");
    var admin = h.admin();
    assertThat(admin.getChildren().forPath(paths.clerks())).isEmpty();
    assertThat(admin.getChildren().forPath(paths.live())).isEmpty();
    assertThat(admin.getChildren().forPath(paths.lock("x"))).isEmpty();
  }
}
