package dev.catena.deploy.zk;

import dev.catena.chain.runtime.SyncListener;
import dev.catena.config.StoreUnavailableException;
import dev.catena.config.zk.NodeAgent;
import dev.catena.proto.v1.SyncStatus;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's join progress to ZooKeeper ({@code sync/<chain>/<node>}) off the runtime
 * threads; the coordinator promotes the node once a caught-up report for the chain's current epoch
 * arrives. Progress reports are rate-limited (at most one per chain every 500 ms); the caught-up
 * report is retried until ZooKeeper accepts it.
 */
final class SyncReporter implements SyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(SyncReporter.class);
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final int CAUGHT_UP_ATTEMPTS = 20;

  private final NodeAgent agent;
  private final String nodeId;
  private final ExecutorService writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(1024),
          r -> {
            Thread t = new Thread(r, "catena-sync-report");
            t.setDaemon(true);
            return t;
          },
          new ThreadPoolExecutor.DiscardPolicy());
  private volatile long lastProgressNanos;

  SyncReporter(NodeAgent agent, String nodeId) {
    this.agent = agent;
    this.nodeId = nodeId;
  }

  @Override
  public void progress(int chainId, long epoch, long records, long bytes) {
    long now = System.nanoTime();
    if (now - lastProgressNanos < PROGRESS_INTERVAL_NANOS) {
      return;
    }
    lastProgressNanos = now;
    SyncStatus s = status(chainId, epoch).setKeys(records).setBytes(bytes).build();
    writer.execute(() -> report(s, 1));
  }

  @Override
  public void caughtUp(int chainId, long epoch, long lastSeq) {
    SyncStatus s = status(chainId, epoch).setCaughtUp(true).build();
    writer.execute(() -> report(s, CAUGHT_UP_ATTEMPTS));
  }

  private SyncStatus.Builder status(int chainId, long epoch) {
    return SyncStatus.newBuilder()
        .setChainId(chainId)
        .setEpoch(epoch)
        .setNodeId(nodeId)
        .setUpdatedAtMillis(System.currentTimeMillis());
  }

  private void report(SyncStatus s, int attempts) {
    for (int i = 1; i <= attempts; i++) {
      try {
        agent.reportSync(s);
        return;
      } catch (StoreUnavailableException e) {
        LOG.debug(
            "sync report for chain {} not written (attempt {}): {}",
            s.getChainId(),
            i,
            e.toString());
      }
    }
    LOG.warn("giving up reporting sync state of chain {} epoch {}", s.getChainId(), s.getEpoch());
  }
}
