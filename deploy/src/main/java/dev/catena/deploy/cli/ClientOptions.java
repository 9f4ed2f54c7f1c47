package dev.catena.deploy.cli;

import dev.catena.client.CatenaClient;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.ZkConnect;
import dev.catena.frangipani.zk.LockPaths;
import dev.catena.frangipani.zk.LockTableReader;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options shared by the client commands: where the cluster is and how long to try to reach it.
 * Every connection this makes fails within {@code --timeout} with one line naming the connect
 * string ({@link #unreachable()}).
 */
final class ClientOptions extends ZooKeeperOptions {
  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "give up connecting to ZooKeeper after this, e.g. 5s, 500ms (default 5s)")
  Duration timeout;

  /** A client of the cluster; {@link CliException} (unavailable) if ZooKeeper does not answer. */
  CatenaClient connect() {
    try {
      return CatenaClient.builder().zookeeper(zk).cluster(cluster).connectTimeout(timeout).build();
    } catch (CatenaUnavailableException e) {
      throw unreachable();
    }
  }

  /** The administrative view of the cluster, connected; {@link CliException} if unreachable. */
  ClusterAdmin admin() {
    try {
      return ZkConnect.admin(zk, cluster, timeout);
    } catch (ZkConnect.ZooKeeperUnreachableException e) {
      throw unreachable();
    }
  }

  /**
   * The lock table of the namespace in {@code bucket}; {@link CliException} if ZooKeeper is
   * unreachable.
   */
  LockTableReader.Table lockTable(String bucket) throws Exception {
    try {
      return ZkConnect.lockTable(zk, new LockPaths(cluster, bucket), timeout);
    } catch (ZkConnect.ZooKeeperUnreachableException e) {
      throw unreachable();
    }
  }

  /** The one-line failure of an unreachable ZooKeeper: where, how long, what to check. */
  CliException unreachable() {
    return new CliException(
        ExitCodes.UNAVAILABLE,
        "cannot reach ZooKeeper at "
            + zk
            + " within "
            + DurationConverter.format(timeout)
            + "; check that it is running (catena local, catena zk) and that --zk names it");
  }

  /** Splits {@code BUCKET/KEY} (the key may contain '/'); the key part may be required. */
  static String[] bucketAndKey(String path, boolean keyRequired) {
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 ? "" : path.substring(slash + 1);
    if (bucket.isEmpty() || (keyRequired && key.isEmpty())) {
      throw CliException.invalid(
          "expected " + (keyRequired ? "BUCKET/KEY" : "BUCKET[/PREFIX]") + ", got '" + path + "'");
    }
    return new String[] {bucket, key};
  }
}
