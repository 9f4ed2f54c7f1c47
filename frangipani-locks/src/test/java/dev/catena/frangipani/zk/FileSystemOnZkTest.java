package dev.catena.frangipani.zk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.frangipani.fs.FileSystem;
import dev.catena.frangipani.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two clerks' namespaces on real ZooKeeper locks and one in-memory store: what one writes the other
 * reads, through revoke, write-back and downgrade. (The same on a real Catena cluster: FileSystemIT
 * in the tests module.)
 */
@Timeout(60)
class FileSystemOnZkTest {
  @Test
  void clerksSeeEachOthersChangesThroughTheLocks() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        CuratorFramework za = client(zk);
        CuratorFramework zb = client(zk)) {
      MemoryStore store = new MemoryStore();
      FileSystem a =
          new FileSystem(
              new ZkLockServer(za, new LockPaths("fs", "ns"), "a").start(),
              store,
              16,
              new SplittableRandom(1));
      FileSystem b =
          new FileSystem(
              new ZkLockServer(zb, new LockPaths("fs", "ns"), "b").start(),
              store,
              16,
              new SplittableRandom(2));
      a.mkdir("/shared");
      a.write("/shared/f", "from a".getBytes(StandardCharsets.UTF_8));
      assertThat(new String(b.read("/shared/f"), StandardCharsets.UTF_8)).isEqualTo("from a");
      b.rename("/shared/f", "/shared/g");
      b.write("/shared/g", "from b".getBytes(StandardCharsets.UTF_8));
      assertThat(a.list("/shared")).extracting(FileSystem.DirEntry::name).containsExactly("g");
      assertThat(new String(a.read("/shared/g"), StandardCharsets.UTF_8)).isEqualTo("from b");
      a.close();
      b.close();
      assertThat(store.list("wal/")).isEmpty();
    }
  }

  private static CuratorFramework client(TestingServer zk) {
    CuratorFramework c =
        CuratorFrameworkFactory.newClient(
            zk.getConnectString(), new ExponentialBackoffRetry(50, 5));
    c.start();
    return c;
  }
}
