package dev.catena.deploy.cli;

import dev.catena.client.CatenaClient;
import picocli.CommandLine.Option;

/** Options shared by the client commands: where the cluster is. */
final class ClientOptions {
  @Option(names = "--zk", defaultValue = "localhost:2181", description = "ZooKeeper connect string")
  String zk;

  @Option(names = "--cluster", defaultValue = "catena", description = "cluster name")
  String cluster;

  CatenaClient connect() {
    return CatenaClient.builder().zookeeper(zk).cluster(cluster).build();
  }

  /** Splits {@code BUCKET/KEY} (the key may contain '/'); the key part may be required. */
  static String[] bucketAndKey(String path, boolean keyRequired) {
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 ? "" : path.substring(slash + 1);
    if (bucket.isEmpty() || (keyRequired && key.isEmpty())) {
      throw new IllegalArgumentException(
          "expected " + (keyRequired ? "BUCKET/KEY" : "BUCKET[/PREFIX]") + ", got '" + path + "'");
    }
    return new String[] {bucket, key};
  }
}
