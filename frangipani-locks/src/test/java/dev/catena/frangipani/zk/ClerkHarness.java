package dev.catena.frangipani.zk;

import dev.catena.frangipani.clerk.CacheHooks;
import dev.catena.frangipani.clerk.LockClerk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Test clerks on real ZooKeeper: one Curator session per clerk, a tracer counting every ZooKeeper
 * operation the session issues, and cache hooks that append to one shared, ordered event log.
 */
final class ClerkHarness implements AutoCloseable {
  static final String CLUSTER = "fs";

  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final String connect;

  ClerkHarness(String connect) {
    this.connect = connect;
  }

  /** A clerk with its own session, operation counter and recording hooks. */
  final class Clerk {
    final String id;
    final CuratorFramework zk;
    final ZkLockServer server;
    final LockClerk locks;
    final AtomicLong zkOps = new AtomicLong();
    volatile Runnable beforeWriteBack = () -> {};

    Clerk(String id, int sessionMs) throws Exception {
      this.id = id;
      zk =
          CuratorFrameworkFactory.builder()
              .connectString(connect)
              .sessionTimeoutMs(sessionMs)
              .connectionTimeoutMs(sessionMs)
              .retryPolicy(new ExponentialBackoffRetry(50, 10))
              .build();
      zk.getZookeeperClient()
          .setTracerDriver(
              new AdvancedTracerDriver() {
                @Override
                public void addTrace(OperationTrace trace) {
                  zkOps.incrementAndGet();
                }

                @Override
                public void addEvent(EventTrace trace) {}
              });
      zk.start();
      server = new ZkLockServer(zk, new LockPaths(CLUSTER, "ns"), id).start();
      locks =
          new LockClerk(
              server,
              new CacheHooks() {
                @Override
                public void writeBack(String lock) {
                  beforeWriteBack.run();
                  events.add(id + ":writeBack:" + lock);
                }

                @Override
                public void dropCache(String lock) {
                  events.add(id + ":drop:" + lock);
                }

                @Override
                public void failDirty(String lock) {
                  events.add(id + ":failDirty:" + lock);
                }
              });
      closeables.add(zk);
      closeables.add(server);
    }
  }

  Clerk clerk(String id) throws Exception {
    return new Clerk(id, 20_000);
  }

  Clerk clerk(String id, int sessionMs) throws Exception {
    return new Clerk(id, sessionMs);
  }

  CuratorFramework admin() {
    CuratorFramework zk =
        CuratorFrameworkFactory.newClient(connect, new ExponentialBackoffRetry(50, 10));
    zk.start();
    closeables.add(zk);
    return zk;
  }

  void add(AutoCloseable c) {
    closeables.add(c);
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception | LinkageError e) {
        // best effort in tear-down
      }
    }
  }
}
