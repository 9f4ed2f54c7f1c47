package dev.catena.config;

import dev.catena.proto.v1.BucketInfo;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ClusterSettings;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ShardMap;
import dev.catena.proto.v1.SyncStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata driver of one Catena cluster: the coordinator, the tools and the node agent read and
 * write cluster state only through this interface (DESIGN §3). ZooKeeper is one implementation.
 *
 * <p><b>Writes are compare-and-set and safe to repeat.</b> Every write names the version it is
 * based on ({@link CasWrite}); a write whose basis is no longer current fails with {@link
 * StaleVersionException}. After a lost connection a write may or may not have taken effect, and the
 * client library may have retried it already; therefore, when a write finds the version (or
 * existence) it did not expect, the implementation re-reads the target and, <em>if the stored value
 * equals the value this call meant to write</em>, reports success (DESIGN §4a, CONNECTION_LOSS).
 * Two writers that intend the same value are thus indistinguishable, which is harmless: the state
 * is the one both wanted. A write that took effect and was then overwritten by someone else before
 * the re-read is reported as stale; the caller re-reads and decides again, which is safe. {@link
 * StoreUnavailableException} means the outcome is unknown: repeat the very same call.
 *
 * <p>Reads return the state at the time of the read; use {@link #watch} to learn that it changed.
 */
public interface ClusterStateStore {

  /**
   * Creates the cluster with its fixed settings and empty node, chain and bucket lists. Repeating
   * the call with the same settings succeeds.
   *
   * @throws ClusterExistsException if the cluster exists with different settings
   * @throws InvalidConfigException if the settings are not valid
   */
  void createCluster(ClusterSettings settings);

  /**
   * @throws ClusterNotFoundException if the cluster was never created
   */
  ClusterSettings readSettings();

  /** Live (registered) nodes by node id. */
  Map<String, NodeInfo> readNodes();

  /** The configuration of one chain, if it exists. */
  Optional<Versioned<ChainConfig>> readChain(int chainId);

  /** All chain configurations by chain id. */
  Map<Integer, Versioned<ChainConfig>> readChains();

  /** The shard map, empty before the cluster is bootstrapped. */
  Optional<Versioned<ShardMap>> readShardMap();

  /** Settings, nodes, chains, shard map, sync reports and requests read one after the other. */
  default ClusterSnapshot readSnapshot() {
    ClusterSettings settings = readSettings();
    return new ClusterSnapshot(
        settings, readNodes(), readChains(), readShardMap(), readSyncStatuses(), readRequests());
  }

  /**
   * Stores the progress report of a joining member at {@code sync/<chainId>/<nodeId>}, replacing
   * the previous one. Only that node writes its reports, so the write is unconditional; repeating
   * it stores the same value.
   *
   * @throws InvalidConfigException if the node id is not valid or the chain id is negative
   * @throws ClusterNotFoundException if the cluster was never created
   */
  void writeSyncStatus(SyncStatus status);

  /** All stored progress reports, sorted by chain id and node id. */
  List<SyncStatus> readSyncStatuses();

  /**
   * Deletes a progress report (the coordinator removes reports of nodes that are no longer joining
   * that chain).
   *
   * @return true if this call removed it; false if it was absent
   */
  boolean deleteSyncStatus(int chainId, String nodeId);

  /**
   * Asks the coordinator to drain {@code nodeId} out of every chain (a replacement joins first
   * where a spare exists). While the request exists the node is never chosen as a joiner; the
   * coordinator deletes it once the node is in no chain and has unregistered, so stop the node
   * after the drain. Repeating the call is harmless.
   *
   * @throws InvalidConfigException if the node id is not valid
   * @throws ClusterNotFoundException if the cluster was never created
   */
  void requestRemoveNode(String nodeId);

  /**
   * Asks the coordinator to restore role balance now; it deletes the request once the cluster is
   * settled. Repeating the call is harmless.
   *
   * @throws ClusterNotFoundException if the cluster was never created
   */
  void requestRebalance();

  /** The pending operator requests. */
  PendingRequests readRequests();

  /**
   * Deletes a remove request (coordinator, or an operator cancelling a drain).
   *
   * @return true if this call removed it; false if it was absent
   */
  boolean completeRemoveNode(String nodeId);

  /**
   * Deletes the rebalance request.
   *
   * @return true if this call removed it; false if it was absent
   */
  boolean completeRebalance();

  /**
   * Applies all writes of {@code update} atomically (all or none).
   *
   * @throws StaleVersionException if any write's basis is not current and the stored values are not
   *     the ones this update meant to write
   * @throws ClusterNotFoundException if the cluster was never created
   */
  void publish(ConfigUpdate update);

  /**
   * Creates a bucket. Repeating the call with an equal record succeeds.
   *
   * @throws BucketExistsException if a different record with this name exists
   * @throws InvalidConfigException if the name is not a valid bucket name
   */
  void createBucket(BucketInfo bucket);

  /**
   * @throws NoSuchBucketException if there is no such bucket
   */
  BucketInfo readBucket(String name);

  /** Bucket names in lexicographic order. */
  List<String> listBuckets();

  /**
   * Deletes a bucket record. Deleting a bucket that is already gone succeeds, so a repeat after a
   * lost connection is harmless.
   *
   * @return true if this call removed the record; false if it was absent, which after a lost
   *     connection may also mean that an earlier attempt of the same call removed it
   */
  boolean deleteBucket(String name);

  /**
   * Registers {@code listener} for changes of nodes, chains, shard map, buckets, sync reports and
   * requests, and for {@link ClusterChange.Kind#RESYNC} after a reconnection.
   */
  Subscription watch(ClusterChangeListener listener);
}
