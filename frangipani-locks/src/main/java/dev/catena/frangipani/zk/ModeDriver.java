package dev.catena.frangipani.zk;

import dev.catena.frangipani.lock.LockQueue;
import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.lock.LockQueue.Kind;
import dev.catena.frangipani.zk.LockPaths.Named;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.PredicateResults;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The {@code LockInternalsDriver} of one mode of one lock at one clerk: it creates the request's
 * node with the mode and clerk in its name (capturing the node's czxid, the grant's fencing token,
 * from the create itself) and decides grants with {@link LockQueue}, the same rule as the pure
 * {@code LockTable}. One instance per {@code InterProcessMutex}; Curator calls it from the thread
 * that acquires.
 */
final class ModeDriver extends StandardLockInternalsDriver {
  private final Kind kind;
  private final String clerk;
  private volatile long czxid;
  private volatile String ourPath;
  private volatile Runnable onCreated = () -> {};

  ModeDriver(Kind kind, String clerk) {
    this.kind = kind;
    this.clerk = clerk;
  }

  @Override
  public String createsTheLock(CuratorFramework client, String path, byte[] lockNodeBytes)
      throws Exception {
    String parent = ZKPaths.getPathAndNode(path).getPath();
    Stat stat = new Stat();
    ourPath = null;
    String created =
        client
            .create()
            .storingStatIn(stat)
            .creatingParentContainersIfNeeded()
            .withProtection()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath(ZKPaths.makePath(parent, LockPaths.nodePrefix(kind, clerk)), new byte[0]);
    long z = stat.getCzxid();
    if (z == 0) {
      // Found again after a connection loss by its protection prefix: the stat was not filled.
      z = client.checkExists().forPath(created).getCzxid();
    }
    czxid = z;
    ourPath = created;
    onCreated.run();
    return created;
  }

  @Override
  public String fixForSorting(String str, String lockName) {
    int dash = str.lastIndexOf('-');
    return dash < 0 ? str : str.substring(dash + 1);
  }

  @Override
  public PredicateResults getsTheLock(
      CuratorFramework client, List<String> children, String sequenceNodeName, int maxLeases)
      throws Exception {
    List<Named> queue = LockPaths.queue(children);
    int index = -1;
    for (int i = 0; i < queue.size(); i++) {
      if (queue.get(i).name().equals(sequenceNodeName)) {
        index = i;
      }
    }
    if (index < 0) {
      throw new KeeperException.NoNodeException("lock node gone: " + sequenceNodeName);
    }
    List<Entry> entries = LockPaths.entries(queue);
    Optional<Entry> blocker = LockQueue.blocker(entries, index);
    if (blocker.isEmpty()) {
      return new PredicateResults(null, true);
    }
    String watch = queue.get(entries.indexOf(blocker.get())).name();
    return new PredicateResults(watch, false);
  }

  /** Runs {@code r} whenever a request node has been created (the waiter then revokes). */
  void onCreated(Runnable r) {
    onCreated = r;
  }

  /** The czxid of the node of the latest request (the fencing token once granted). */
  long czxid() {
    return czxid;
  }

  /** The full path of the latest request's node, or null before it exists. */
  String ourPath() {
    return ourPath;
  }
}
