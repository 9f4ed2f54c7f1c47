package dev.catena.deploy.zk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.config.zk.CuratorClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server is a real ZooKeeper that keeps its data across restarts. */
class EmbeddedZooKeeperTest {
  @TempDir Path dir;

  @Test
  void dataSurvivesARestartOnTheSameDirectory() throws Exception {
    int port;
    try (var zk = EmbeddedZooKeeper.start(dir, "127.0.0.1", 0, 200)) {
      port = Integer.parseInt(zk.connectString().split(":")[1]);
      try (CuratorFramework c = client(zk.connectString())) {
        c.create()
            .creatingParentsIfNeeded()
            .forPath("/catena/t", "v".getBytes(StandardCharsets.UTF_8));
      }
    }
    try (var zk = EmbeddedZooKeeper.start(dir, "127.0.0.1", port, 200);
        CuratorFramework c = client(zk.connectString())) {
      assertThat(new String(c.getData().forPath("/catena/t"), StandardCharsets.UTF_8))
          .isEqualTo("v");
    }
  }

  @Test
  void aShortTickStillGrantsTheRequestedSessionTimeout() throws Exception {
    try (var zk = EmbeddedZooKeeper.start(dir, "127.0.0.1", 0, 50);
        CuratorFramework c = client(zk.connectString())) {
      // 4 s is 80 ticks: ZooKeeper's default cap of 20 ticks would cut it to 1 s.
      assertThat(c.getZookeeperClient().getZooKeeper().getSessionTimeout()).isEqualTo(4000);
    }
  }

  private static CuratorFramework client(String connect) throws InterruptedException {
    CuratorFramework c =
        CuratorClients.newClient(connect, Duration.ofSeconds(4), Duration.ofSeconds(4));
    c.start();
    assertThat(c.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return c;
  }
}
