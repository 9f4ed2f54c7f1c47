package dev.catena.deploy.cli;

import dev.catena.deploy.zk.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catena zk}: a standalone ZooKeeper server in the foreground. */
@Command(name = "zk", description = "Run a standalone ZooKeeper server.")
final class ZkCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "data/zookeeper", description = "data directory")
  Path data;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "address to listen on (default ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "2181",
      description = "client port (default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--tick-ms",
      defaultValue = "100",
      description =
          "tick: the granularity of session expiry; sessions may last from 2 ticks to 60 s")
  int tickMs;

  @Override
  public Integer call() throws Exception {
    var zk = EmbeddedZooKeeper.start(data, host, port, tickMs);
    Foreground fg = Foreground.closeOnExit(zk, null);
    System.out.println("ZooKeeper: " + zk.connectString());
    fg.await();
    return 0;
  }
}
