package dev.catena.deploy.zk;

import dev.catena.chain.runtime.SyncListener;
import dev.catena.config.StoreUnavailableException;
import dev.catena.config.zk.NodeAgent;
import dev.catena.proto.v1.SnapshotTotals;
import dev.catena.proto.v1.SyncStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's join progress to ZooKeeper ({@code sync/<chain>/<node>}) off the runtime
 * threads; the coordinator promotes the node once a caught-up report for the chain's current epoch
 * arrives, and {@code cluster status} / {@code cluster add-node} show it.
 *
 * <p>Each report is the join's whole state: installed keys and bytes, the totals the snapshot
 * stream announced, whether it is a diff resync, whether the snapshot is installed, the lag in seqs
 * and caught up. Changes of counts and lag are coalesced per chain to at most one write every 500
 * ms (the last change is always written, after the interval); the start of a stream, the end of its
 * install and caught up are written at once, and caught up is retried until ZooKeeper accepts it.
 * Once the node is no longer SYNCING in a chain nothing more is written for it.
 */
final class SyncReporter implements SyncListener {
  private static final Logger LOG = LoggerFactory.getLogger(SyncReporter.class);
  static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final int CAUGHT_UP_ATTEMPTS = 20;

  /** Where reports go (the node agent); may fail while ZooKeeper is unreachable. */
  interface Sink {
    void write(SyncStatus status);
  }

  private final Sink sink;
  private final String nodeId;
  private final LongSupplier nanos;
  private final ScheduledExecutorService writer;
  private final Map<Integer, Join> joins = new ConcurrentHashMap<>();

  /** The state of one join, as last reported to this listener. */
  private static final class Join {
    final int chainId;
    long epoch;
    long keys;
    long bytes;
    SnapshotTotals totals;
    boolean diff;
    boolean installed;
    long lag;
    boolean caughtUp;
    long lastWriteNanos;
    boolean writeScheduled;

    Join(int chainId, long epoch, long now) {
      this.chainId = chainId;
      this.epoch = epoch;
      this.lastWriteNanos = now - INTERVAL_NANOS;
    }

    /** A later epoch asks for a new caught-up report. */
    void epoch(long e) {
      if (e > epoch) {
        epoch = e;
        caughtUp = false;
      }
    }
  }

  SyncReporter(NodeAgent agent, String nodeId) {
    this(agent::reportSync, nodeId, System::nanoTime);
  }

  SyncReporter(Sink sink, String nodeId, LongSupplier nanos) {
    this.sink = sink;
    this.nodeId = nodeId;
    this.nanos = nanos;
    var executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "catena-sync-report");
              t.setDaemon(true);
              return t;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.writer = executor;
  }

  private Join join(int chainId, long epoch) {
    Join j = joins.computeIfAbsent(chainId, c -> new Join(c, epoch, nanos.getAsLong()));
    j.epoch(epoch);
    return j;
  }

  @Override
  public void planned(int chainId, long epoch, SnapshotTotals totals, boolean diff) {
    Join j = join(chainId, epoch);
    synchronized (j) {
      j.keys = 0; // a new stream: its counts start over
      j.bytes = 0;
      j.installed = false;
      j.totals = totals;
      j.diff = diff;
    }
    writeNow(j, 1);
  }

  @Override
  public void progress(int chainId, long epoch, long records, long bytes) {
    Join j = join(chainId, epoch);
    synchronized (j) {
      j.keys = records;
      j.bytes = bytes;
    }
    writeSoon(j);
  }

  @Override
  public void installed(int chainId, long epoch, long records, long bytes) {
    Join j = join(chainId, epoch);
    synchronized (j) {
      j.keys = records;
      j.bytes = bytes;
      j.installed = true;
    }
    writeNow(j, 1);
  }

  @Override
  public void lag(int chainId, long epoch, long lagSeqs) {
    Join j = join(chainId, epoch);
    synchronized (j) {
      j.lag = lagSeqs;
    }
    writeSoon(j);
  }

  @Override
  public void caughtUp(int chainId, long epoch, long lastSeq) {
    Join j = join(chainId, epoch);
    synchronized (j) {
      if (epoch == j.epoch) {
        j.caughtUp = true;
      }
    }
    writeNow(j, CAUGHT_UP_ATTEMPTS);
  }

  @Override
  public void ended(int chainId) {
    joins.remove(chainId);
  }

  /** Stops writing; pending coalesced writes are dropped. */
  void close() {
    writer.shutdownNow();
  }

  private void writeNow(Join j, int attempts) {
    SyncStatus s;
    synchronized (j) {
      j.lastWriteNanos = nanos.getAsLong();
      s = status(j);
    }
    writer.execute(() -> report(j, s, attempts));
  }

  /** Writes now if the interval has passed, else once when it has (one pending write per join). */
  private void writeSoon(Join j) {
    long wait;
    synchronized (j) {
      wait = j.lastWriteNanos + INTERVAL_NANOS - nanos.getAsLong();
      if (wait > 0) {
        if (j.writeScheduled) {
          return;
        }
        j.writeScheduled = true;
      }
    }
    if (wait <= 0) {
      writeNow(j, 1);
      return;
    }
    writer.schedule(
        () -> {
          synchronized (j) {
            j.writeScheduled = false;
          }
          writeNow(j, 1);
        },
        wait,
        TimeUnit.NANOSECONDS);
  }

  /** The report of {@code j}; caller holds its lock. */
  private SyncStatus status(Join j) {
    var b =
        SyncStatus.newBuilder()
            .setChainId(j.chainId)
            .setEpoch(j.epoch)
            .setNodeId(nodeId)
            .setKeys(j.keys)
            .setBytes(j.bytes)
            .setLagSeqs(j.lag)
            .setCaughtUp(j.caughtUp)
            .setInstalled(j.installed)
            .setUpdatedAtMillis(System.currentTimeMillis());
    if (j.totals != null) {
      b.setPlannedKnown(true)
          .setPlannedKeys(j.totals.getRecords())
          .setPlannedBytes(j.totals.getBytes())
          .setSourceKeys(j.totals.getSourceRecords())
          .setSourceBytes(j.totals.getSourceBytes())
          .setDiff(j.diff);
    }
    return b.build();
  }

  private void report(Join j, SyncStatus s, int attempts) {
    for (int i = 1; i <= attempts; i++) {
      if (joins.get(s.getChainId()) != j) {
        return; // the join ended: the coordinator removes its report, do not bring it back
      }
      try {
        sink.write(s);
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
