package dev.catena.deploy.cli;

import picocli.CommandLine.Option;

/**
 * Where a cluster lives, for every command that talks to one: {@code --zk} (the ZooKeeper connect
 * string) and {@code --cluster} (the cluster's name under {@code /catena}). One definition, so that
 * {@code manager}, {@code node} and the client commands spell, default and describe them alike.
 * Used as a picocli mixin, or as the base of {@link ClientOptions}.
 */
class ZooKeeperOptions {
  @Option(
      names = "--zk",
      defaultValue = "localhost:2181",
      description = "ZooKeeper connect string, HOST:PORT[,HOST:PORT…] (default ${DEFAULT-VALUE})")
  String zk;

  @Option(
      names = "--cluster",
      defaultValue = "catena",
      description = "name of the cluster in ZooKeeper (default ${DEFAULT-VALUE})")
  String cluster;
}
