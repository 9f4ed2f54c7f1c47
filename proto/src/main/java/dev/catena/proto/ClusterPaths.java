package dev.catena.proto;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The ZooKeeper layout of one Catena cluster (DESIGN.md §3). Every component that reads or writes
 * cluster state builds its paths here, so the layout is defined once.
 *
 * <pre>
 * /catena/&lt;cluster&gt;/
 *   settings              persistent: ClusterSettings
 *   nodes/&lt;nodeId&gt;        ephemeral: NodeInfo
 *   chains/&lt;chainId&gt;      persistent: ChainConfig
 *   shardmap              persistent: ShardMap
 *   buckets/&lt;name&gt;        persistent: BucketInfo
 *   sync/&lt;chainId&gt;/&lt;nodeId&gt; persistent: SyncStatus of a SYNCING member
 *   requests/remove/&lt;nodeId&gt;  persistent, empty: operator asks to drain a node
 *   requests/rebalance    persistent, empty: operator asks for a role restore
 *   manager/leader        LeaderLatch of the coordinators
 *   locks/…               lock table
 *   s3/keys/<accessKeyId> S3 access keys of the gateway (secrets sealed)
 * </pre>
 */
public final class ClusterPaths {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final String root;

  /**
   * @param cluster the cluster name: 1–63 characters of letters, digits, '.', '_' or '-'
   * @throws IllegalArgumentException if the name is not valid
   */
  public ClusterPaths(String cluster) {
    Objects.requireNonNull(cluster, "cluster");
    if (!NAME.matcher(cluster).matches()) {
      throw new IllegalArgumentException("invalid cluster name: '" + cluster + "'");
    }
    this.root = "/catena/" + cluster;
  }

  /** Returns true if {@code id} is a valid node id or cluster name. */
  public static boolean isValidName(String id) {
    return id != null && NAME.matcher(id).matches();
  }

  public String root() {
    return root;
  }

  public String settings() {
    return root + "/settings";
  }

  public String nodes() {
    return root + "/nodes";
  }

  public String node(String nodeId) {
    if (!isValidName(nodeId)) {
      throw new IllegalArgumentException("invalid node id: '" + nodeId + "'");
    }
    return nodes() + "/" + nodeId;
  }

  public String chains() {
    return root + "/chains";
  }

  public String chain(int chainId) {
    if (chainId < 0) {
      throw new IllegalArgumentException("negative chain id: " + chainId);
    }
    return chains() + "/" + chainId;
  }

  public String shardMap() {
    return root + "/shardmap";
  }

  public String buckets() {
    return root + "/buckets";
  }

  public String bucket(String name) {
    return buckets() + "/" + name;
  }

  public String sync() {
    return root + "/sync";
  }

  public String syncChain(int chainId) {
    return sync() + "/" + chainId;
  }

  public String syncStatus(int chainId, String nodeId) {
    return syncChain(chainId) + "/" + nodeId;
  }

  public String requests() {
    return root + "/requests";
  }

  public String removeRequests() {
    return requests() + "/remove";
  }

  public String removeRequest(String nodeId) {
    if (!isValidName(nodeId)) {
      throw new IllegalArgumentException("invalid node id: '" + nodeId + "'");
    }
    return removeRequests() + "/" + nodeId;
  }

  public String rebalanceRequest() {
    return requests() + "/rebalance";
  }

  public String managerLeader() {
    return root + "/manager/leader";
  }

  /** Storage figures published by the nodes (not part of the cluster view). */
  public String stats() {
    return root + "/stats";
  }

  public String storageStats(String nodeId) {
    if (!isValidName(nodeId)) {
      throw new IllegalArgumentException("invalid node id: '" + nodeId + "'");
    }
    return stats() + "/" + nodeId;
  }

  public String locks() {
    return root + "/locks";
  }

  /** Parent of the S3 gateway's access keys (DESIGN §10). */
  public String s3Keys() {
    return root + "/s3/keys";
  }

  /** One S3 access key record; ids are 1–63 letters, digits, '.', '_' or '-'. */
  public String s3Key(String accessKeyId) {
    if (!isValidName(accessKeyId)) {
      throw new IllegalArgumentException("invalid access key id: '" + accessKeyId + "'");
    }
    return s3Keys() + "/" + accessKeyId;
  }
}
