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
 * A watch over one cluster's nodes, chains, shard map, buckets, sync reports and requests, built
 * from ZooKeeper persistent watches (recursive on {@code nodes/}, {@code chains/}, {@code sync/}
 * and {@code requests/}, plain on {@code shardmap} and {@code buckets}). Curator's {@link
 * PersistentWatcher} re-adds each watch after a reconnection or a new session and then this
 * subscription reports {@link Kind#RESYNC}, so a reader that re-reads everything on RESYNC cannot
 * miss a change made while it was disconnected (DESIGN §3).
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
            new PersistentWatcher(client, paths.buckets(), false),
            new PersistentWatcher(client, paths.sync(), true),
            new PersistentWatcher(client, paths.requests(), true));
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
    if (path.startsWith(paths.requests() + "/")) {
      return ClusterChange.of(Kind.REQUESTS, path.substring(paths.requests().length() + 1));
    }
    if (path.equals(paths.requests())) {
      return ClusterChange.of(Kind.REQUESTS);
    }
    if (path.startsWith(paths.sync() + "/")) {
      return ClusterChange.of(Kind.SYNC, path.substring(paths.sync().length() + 1));
    }
    ClusterChange child = childChange(paths.nodes(), Kind.NODES, path);
    if (child == null) {
      child = childChange(paths.chains(), Kind.CHAINS, path);
    }
    if (child == null && path.equals(paths.sync())) {
      child = ClusterChange.of(Kind.SYNC);
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
