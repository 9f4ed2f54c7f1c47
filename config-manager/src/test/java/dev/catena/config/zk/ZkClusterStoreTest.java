package dev.catena.config.zk;

import static dev.catena.config.zk.ZkTestSupport.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.catena.config.BootstrapPlan;
import dev.catena.config.BucketExistsException;
import dev.catena.config.CasWrite;
import dev.catena.config.ClusterBootstrap;
import dev.catena.config.ClusterChange;
import dev.catena.config.ClusterExistsException;
import dev.catena.config.ClusterNotFoundException;
import dev.catena.config.ConfigUpdate;
import dev.catena.config.InvalidConfigException;
import dev.catena.config.NoSuchBucketException;
import dev.catena.config.PendingRequests;
import dev.catena.config.StaleVersionException;
import dev.catena.config.Subscription;
import dev.catena.config.Versioned;
import dev.catena.proto.v1.BucketInfo;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZkClusterStoreTest {
  private static TestingServer server;
  private static CuratorFramework client;
  private ZkClusterStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = new TestingServer();
    client = ZkTestSupport.client(server);
  }

  @AfterAll
  static void stopServer() throws Exception {
    client.close();
    server.close();
  }

  @BeforeEach
  void newCluster() {
    store = new ZkClusterStore(client, ZkTestSupport.freshCluster());
  }

  private ConfigUpdate bootstrapUpdate(BootstrapPlan plan) {
    return new ConfigUpdate(
        plan.chains().stream().map(CasWrite::create).toList(),
        Optional.of(CasWrite.create(plan.shardMap())));
  }

  private BootstrapPlan plan() {
    return ClusterBootstrap.plan(SETTINGS, List.of("a", "b", "c", "d"));
  }

  @Test
  void createClusterIsRepeatableAndRejectsOtherSettings() {
    assertThatThrownBy(store::readSettings).isInstanceOf(ClusterNotFoundException.class);
    store.createCluster(SETTINGS);
    store.createCluster(SETTINGS); // a repeat after CONNECTION_LOSS
    assertThat(store.readSettings()).isEqualTo(SETTINGS);
    assertThat(store.readNodes()).isEmpty();
    assertThat(store.readChains()).isEmpty();
    assertThat(store.readShardMap()).isEmpty();

    assertThatThrownBy(() -> store.createCluster(SETTINGS.toBuilder().setShardCount(9).build()))
        .isInstanceOf(ClusterExistsException.class);
    assertThatThrownBy(() -> store.createCluster(SETTINGS.toBuilder().setShardCount(0).build()))
        .isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void publishWritesChainsAndShardMapTogether() {
    store.createCluster(SETTINGS);
    BootstrapPlan plan = plan();
    store.publish(bootstrapUpdate(plan));

    assertThat(store.readChains().values().stream().map(Versioned::value).toList())
        .isEqualTo(plan.chains());
    assertThat(store.readShardMap().map(Versioned::value)).contains(plan.shardMap());
    assertThat(store.readChain(0).orElseThrow().version()).isZero();
  }

  @Test
  void repeatedPublishAfterConnectionLossIsSuccess() {
    // DESIGN §4a CONNECTION_LOSS: the retry finds "node exists" / "bad version" with our own value.
    store.createCluster(SETTINGS);
    BootstrapPlan plan = plan();
    ConfigUpdate create = bootstrapUpdate(plan);
    store.publish(create);
    store.publish(create); // the same multi-op again: every znode already exists with our value

    Versioned<ChainConfig> c0 = store.readChain(0).orElseThrow();
    ChainConfig next = c0.value().toBuilder().setEpoch(2).build();
    ConfigUpdate replace = new ConfigUpdate(List.of(CasWrite.replace(c0, next)), Optional.empty());
    store.publish(replace);
    store.publish(replace); // version is now c0.version + 1: mismatch, but our value is there

    Versioned<ChainConfig> now = store.readChain(0).orElseThrow();
    assertThat(now.value()).isEqualTo(next);
    assertThat(now.version()).isEqualTo(c0.version() + 1);
  }

  @Test
  void staleWriteFailsAndLeavesNothingHalfDone() {
    store.createCluster(SETTINGS);
    BootstrapPlan plan = plan();
    store.publish(bootstrapUpdate(plan));
    Versioned<ChainConfig> c0 = store.readChain(0).orElseThrow();
    Versioned<ChainConfig> c1 = store.readChain(1).orElseThrow();
    Versioned<ShardMap> map = store.readShardMap().orElseThrow();

    // Someone else moves chain 1 to epoch 2 first.
    store.publish(
        new ConfigUpdate(
            List.of(CasWrite.replace(c1, c1.value().toBuilder().setEpoch(2).build())),
            Optional.empty()));

    // Our update, based on the old chain 1, must fail as a whole.
    ConfigUpdate ours =
        new ConfigUpdate(
            List.of(
                CasWrite.replace(c0, c0.value().toBuilder().setEpoch(2).build()),
                CasWrite.replace(c1, c1.value().toBuilder().setEpoch(3).build())),
            Optional.of(CasWrite.replace(map, map.value().toBuilder().setVersion(2).build())));
    assertThatThrownBy(() -> store.publish(ours)).isInstanceOf(StaleVersionException.class);

    assertThat(store.readChain(0).orElseThrow()).isEqualTo(c0);
    assertThat(store.readShardMap().orElseThrow()).isEqualTo(map);
    assertThat(store.readChain(1).orElseThrow().value().getEpoch()).isEqualTo(2);
  }

  @Test
  void createOverDifferentValueIsStale() {
    store.createCluster(SETTINGS);
    store.publish(bootstrapUpdate(plan()));
    ConfigUpdate other =
        bootstrapUpdate(ClusterBootstrap.plan(SETTINGS, List.of("a", "b", "c", "e")));
    assertThatThrownBy(() -> store.publish(other)).isInstanceOf(StaleVersionException.class);
  }

  @Test
  void publishToMissingClusterIsClusterNotFound() {
    assertThatThrownBy(() -> store.publish(bootstrapUpdate(plan())))
        .isInstanceOf(ClusterNotFoundException.class);
  }

  @Test
  void buckets() {
    store.createCluster(SETTINGS);
    BucketInfo photos = BucketInfo.newBuilder().setName("photos").setCreatedAtMillis(5).build();
    store.createBucket(photos);
    store.createBucket(photos); // repeat: same record, success
    assertThatThrownBy(() -> store.createBucket(photos.toBuilder().setCreatedAtMillis(6).build()))
        .isInstanceOf(BucketExistsException.class);
    store.createBucket(BucketInfo.newBuilder().setName("logs").build());

    assertThat(store.listBuckets()).containsExactly("logs", "photos");
    assertThat(store.readBucket("photos")).isEqualTo(photos);
    assertThat(store.deleteBucket("photos")).isTrue();
    assertThat(store.deleteBucket("photos")).isFalse();
    assertThatThrownBy(() -> store.readBucket("photos")).isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> store.createBucket(BucketInfo.newBuilder().setName("a/b").build()))
        .isInstanceOf(InvalidConfigException.class);
  }

  @Test
  void bucketInMissingClusterIsClusterNotFound() {
    assertThatThrownBy(() -> store.createBucket(BucketInfo.newBuilder().setName("x").build()))
        .isInstanceOf(ClusterNotFoundException.class);
  }

  @Test
  void watchReportsNodesChainsShardMapAndBuckets() throws Exception {
    store.createCluster(SETTINGS);
    List<ClusterChange> seen = new CopyOnWriteArrayList<>();
    try (Subscription sub = store.watch(seen::add)) {
      ZkTestSupport.register(client, store, "a");
      store.publish(bootstrapUpdate(plan()));
      store.createBucket(BucketInfo.newBuilder().setName("b1").build());

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(seen)
                      .contains(
                          ClusterChange.of(ClusterChange.Kind.NODES, "a"),
                          ClusterChange.of(ClusterChange.Kind.CHAINS, "0"),
                          ClusterChange.of(ClusterChange.Kind.SHARD_MAP),
                          ClusterChange.of(ClusterChange.Kind.BUCKETS)));
      client.delete().forPath(store.paths().node("a"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> seen.stream().filter(c -> c.kind() == ClusterChange.Kind.NODES).count() >= 2);
    }
  }

  @Test
  void classifiesPaths() {
    var paths = store.paths();
    assertThat(ZkSubscription.classify(paths, paths.node("n1")))
        .isEqualTo(ClusterChange.of(ClusterChange.Kind.NODES, "n1"));
    assertThat(ZkSubscription.classify(paths, paths.chain(12)))
        .isEqualTo(ClusterChange.of(ClusterChange.Kind.CHAINS, "12"));
    assertThat(ZkSubscription.classify(paths, paths.shardMap()))
        .isEqualTo(ClusterChange.of(ClusterChange.Kind.SHARD_MAP));
    assertThat(ZkSubscription.classify(paths, paths.nodes()))
        .isEqualTo(ClusterChange.of(ClusterChange.Kind.NODES));
    assertThat(ZkSubscription.classify(paths, paths.locks() + "/x")).isNull();
  }

  @Test
  void syncStatusesAndRequestsAreRepeatableAndWatched() {
    assertThatThrownBy(() -> store.requestRebalance()).isInstanceOf(ClusterNotFoundException.class);
    store.createCluster(SETTINGS);
    CopyOnWriteArrayList<ClusterChange> seen = new CopyOnWriteArrayList<>();
    try (Subscription sub = store.watch(seen::add)) {
      SyncStatus s = SyncStatus.newBuilder().setChainId(2).setEpoch(3).setNodeId("n4").build();
      store.writeSyncStatus(s);
      store.writeSyncStatus(s.toBuilder().setCaughtUp(true).build()); // replaces
      store.writeSyncStatus(s.toBuilder().setCaughtUp(true).build()); // a repeat
      assertThat(store.readSyncStatuses()).containsExactly(s.toBuilder().setCaughtUp(true).build());
      assertThatThrownBy(() -> store.writeSyncStatus(s.toBuilder().setNodeId("/x").build()))
          .isInstanceOf(InvalidConfigException.class);

      store.requestRemoveNode("n1");
      store.requestRemoveNode("n1");
      store.requestRebalance();
      store.requestRebalance();
      assertThat(store.readRequests()).isEqualTo(new PendingRequests(Set.of("n1"), true));
      assertThat(store.readSnapshot().requests().removeNodes()).containsExactly("n1");
      assertThat(store.readSnapshot().syncStatuses()).hasSize(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(seen)
                      .contains(
                          ClusterChange.of(ClusterChange.Kind.SYNC, "2/n4"),
                          ClusterChange.of(ClusterChange.Kind.REQUESTS, "remove/n1"),
                          ClusterChange.of(ClusterChange.Kind.REQUESTS, "rebalance")));

      assertThat(store.completeRemoveNode("n1")).isTrue();
      assertThat(store.completeRemoveNode("n1")).isFalse();
      assertThat(store.completeRebalance()).isTrue();
      assertThat(store.deleteSyncStatus(2, "n4")).isTrue();
      assertThat(store.deleteSyncStatus(2, "n4")).isFalse();
      assertThat(store.readRequests()).isEqualTo(PendingRequests.NONE);
      assertThat(store.readSyncStatuses()).isEmpty();
      assertThatThrownBy(() -> store.requestRemoveNode("bad/id"))
          .isInstanceOf(InvalidConfigException.class);
    }
  }
}
