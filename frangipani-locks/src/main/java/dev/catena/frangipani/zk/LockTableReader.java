package dev.catena.frangipani.zk;

import dev.catena.frangipani.lock.LockMode;
import dev.catena.frangipani.lock.LockQueue;
import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.zk.LockPaths.Named;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads the lock table from ZooKeeper for status output: every request of every lock, whether it is
 * granted (by the same {@link LockQueue} rule the clerks use), its token (the node's czxid),
 * whether a revoke is pending on it, and whether its clerk is live. Busy/idle is a clerk's local
 * state and not visible here.
 */
public final class LockTableReader {
  private LockTableReader() {}

  /** One request in the table. */
  public record Row(
      String lock,
      String clerk,
      LockMode mode,
      boolean downgraded,
      boolean granted,
      long token,
      boolean revokeRequested,
      int position) {}

  /** The whole table plus the clerks whose logs await recovery. */
  public record Table(List<Row> rows, Set<String> liveClerks, Set<String> unrecoveredClerks) {}

  /** Reads the table of {@code cluster} through a short session of its own to {@code zkConnect}. */
  public static Table read(String zkConnect, LockPaths paths) throws Exception {
    try (CuratorFramework zk =
        org.apache.curator.framework.CuratorFrameworkFactory.newClient(
            zkConnect, new org.apache.curator.retry.ExponentialBackoffRetry(50, 5))) {
      zk.start();
      if (!zk.blockUntilConnected(15, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("cannot reach ZooKeeper at " + zkConnect);
      }
      return read(zk, paths);
    }
  }

  /** Reads the table of {@code cluster}. */
  public static Table read(CuratorFramework zk, LockPaths paths) throws Exception {
    List<Row> rows = new ArrayList<>();
    List<String> locks;
    try {
      locks = new ArrayList<>(new TreeSet<>(zk.getChildren().forPath(paths.table())));
    } catch (KeeperException.NoNodeException e) {
      locks = List.of();
    }
    for (String lock : locks) {
      List<Named> queue;
      try {
        queue = LockPaths.queue(zk.getChildren().forPath(paths.lock(lock)));
      } catch (KeeperException.NoNodeException e) {
        continue;
      }
      List<Entry> entries = LockPaths.entries(queue);
      for (int i = 0; i < queue.size(); i++) {
        Entry e = entries.get(i);
        Stat stat = new Stat();
        byte[] data;
        try {
          data =
              zk.getData()
                  .storingStatIn(stat)
                  .forPath(paths.lock(lock) + "/" + queue.get(i).name());
        } catch (KeeperException.NoNodeException gone) {
          continue;
        }
        boolean revoke =
            new String(data, java.nio.charset.StandardCharsets.UTF_8).equals("__REVOKE__");
        rows.add(
            new Row(
                lock,
                e.clerk(),
                e.kind().mode(),
                e.kind() == LockQueue.Kind.DOWNGRADED,
                LockQueue.granted(entries, i),
                stat.getCzxid(),
                revoke,
                i));
      }
    }
    Set<String> live = new TreeSet<>();
    Set<String> marked = new HashSet<>();
    try {
      live.addAll(zk.getChildren().forPath(paths.live()));
      marked.addAll(zk.getChildren().forPath(paths.clerks()));
    } catch (KeeperException.NoNodeException e) {
      // nothing registered yet
    }
    marked.removeAll(live);
    return new Table(rows, live, new TreeSet<>(marked));
  }
}
