package dev.catena.config.zk;

import dev.catena.config.ClusterChange;
import dev.catena.config.ClusterChange.Kind;
import dev.catena.config.ClusterChangeListener;
import dev.catena.config.Subscription;
import dev.catena.proto.ClusterPaths;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;

/**
 * A watch over one cluster's nodes, chains, shard map and buckets, built from ZooKeeper persistent
 * watches (recursive on {@code nodes/} and {@code chains/}, plain on {@code shardmap} and {@code
 * buckets}). Curator's {@link PersistentWatcher} re-adds each watch after a reconnection or a new
 * session and then this subscription reports {@link Kind#RESYNC}, so a reader that re-reads
 * everything on RESYNC cannot miss a change made while it was disconnected (DESIGN §3).
 */
final class ZkSubscription implements Subscription {
  private final ClusterPaths paths;
  private final ClusterChangeListener listener;
  private final List<PersistentWatcher> watchers;
  private final AtomicBoolean closed = new AtomicBoolean();

  ZkSubscription(CuratorFramework client, ClusterPaths paths, ClusterChangeListener listener) {
    this.paths = paths;
    this.listener = listener;
    this.watchers =
        List.of(
            new PersistentWatcher(client, paths.nodes(), true),
            new PersistentWatcher(client, paths.chains(), true),
            new PersistentWatcher(client, paths.shardMap(), false),
            new PersistentWatcher(client, paths.buckets(), false));
    for (PersistentWatcher w : watchers) {
      w.getListenable().addListener(this::onEvent);
      w.getResetListenable().addListener(this::onReset);
    }
  }

  void start() {
    watchers.forEach(PersistentWatcher::start);
  }

  private void onReset() {
    if (!closed.get()) {
      listener.onChange(ClusterChange.of(Kind.RESYNC));
    }
  }

  private void onEvent(WatchedEvent event) {
    if (closed.get() || event.getType() == EventType.None || event.getPath() == null) {
      return;
    }
    ClusterChange change = classify(paths, event.getPath());
    if (change != null) {
      listener.onChange(change);
    }
  }

  /** Maps a znode path to the change it signals, or null for paths outside the watched parts. */
  static ClusterChange classify(ClusterPaths paths, String path) {
    if (path.equals(paths.shardMap())) {
      return ClusterChange.of(Kind.SHARD_MAP);
    }
    if (path.equals(paths.buckets())) {
      return ClusterChange.of(Kind.BUCKETS);
    }
    ClusterChange child = childChange(paths.nodes(), Kind.NODES, path);
    if (child == null) {
      child = childChange(paths.chains(), Kind.CHAINS, path);
    }
    return child;
  }

  private static ClusterChange childChange(String parent, Kind kind, String path) {
    if (path.equals(parent)) {
      return ClusterChange.of(kind);
    }
    if (path.startsWith(parent + "/")) {
      String rest = path.substring(parent.length() + 1);
      int slash = rest.indexOf('/');
      return ClusterChange.of(kind, slash < 0 ? rest : rest.substring(0, slash));
    }
    return null;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      watchers.forEach(PersistentWatcher::close);
    }
  }
}
