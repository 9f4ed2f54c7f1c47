package dev.catena.chain.runtime;

import dev.catena.chain.protocol.ChainReplica;
import dev.catena.chain.protocol.Effect;
import dev.catena.chain.protocol.Event;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.SnapshotRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A joining replica's side of a join (DESIGN §4 "Add a tail", "Rejoin"): on {@link
 * Effect.InstallSnapshot} it starts the store's join ({@link ReplicaStore#beginSync}), fetches the
 * predecessor's snapshot with this node's bucket digests and installs it off the loop, then reports
 * {@link Event.SnapshotInstalled} (with the merged exactly-once records) or {@link
 * Event.SnapshotFailed} after a back-off ({@link RetryDelays}: a refusing predecessor would
 * otherwise be asked a hundred times a second). A newer join of the same chain supersedes an older
 * one: the older one's outcome is dropped. It also tells the {@link SyncListener} how the join goes
 * (planned totals, progress, installed, lag, caught up, ended).
 *
 * <p>Threading: {@link #start}, {@link #caughtUp} and {@link #after} run on the event loop; the
 * fetch and install run as blocking work of the {@link LoopScheduler}, and their outcome comes back
 * through the loop.
 */
final class JoinInstalls {
  private static final Logger LOG = LoggerFactory.getLogger(JoinInstalls.class);

  private final String nodeId;
  private final ReplicaStore store;
  private final PeerTransport transport;
  private final LoopScheduler loop;
  private final Function<String, NodeInfo> directory;
  private final ReplicaInbox inbox;
  private final JoinLags joinLags = new JoinLags();

  // Owned by the loop thread.
  private final Map<Integer, Long> installTokens = new HashMap<>();
  // Counted off the loop (when an install fails), cleared on it.
  private final Map<Integer, Integer> failures = new ConcurrentHashMap<>();
  private volatile SyncListener listener = SyncListener.NONE;

  JoinInstalls(
      String nodeId,
      ReplicaStore store,
      PeerTransport transport,
      LoopScheduler loop,
      Function<String, NodeInfo> directory,
      ReplicaInbox inbox) {
    this.nodeId = nodeId;
    this.store = store;
    this.transport = transport;
    this.loop = loop;
    this.directory = directory;
    this.inbox = inbox;
  }

  void setListener(SyncListener listener) {
    this.listener = listener;
  }

  /** The replica of {@code chainId} reported that its join caught up in {@code epoch}. */
  void caughtUp(int chainId, long epoch, long last) {
    listener.caughtUp(chainId, epoch, last);
  }

  /** Called after each event the replica of {@code chainId} handled: reports lag changes. */
  void after(int chainId, ChainReplica r) {
    joinLags.after(chainId, r, listener);
  }

  /** Starts the install {@code i} asks for; supersedes any install of the chain under way. */
  void start(int chainId, Effect.InstallSnapshot i) {
    NodeInfo source = directory.apply(i.from());
    long token = store.beginSync(chainId);
    installTokens.put(chainId, token);
    long started = loop.nanoTime();
    var request =
        SnapshotRequest.newBuilder()
            .setChainId(chainId)
            .setEpoch(i.epoch())
            .setNodeId(nodeId)
            .setMinCutSeq(i.cut())
            .build();
    loop.executeBlocking(
        () -> {
          Event failure = fetchAndInstall(chainId, i, source, token, request);
          long delayMs =
              failure == null ? 0 : RetryDelays.millis(failures.merge(chainId, 1, Integer::sum));
          loop.schedule(() -> finish(chainId, i, token, failure, started), delayMs);
        });
  }

  /** Runs off the loop; returns the failure event, or null if the install completed. */
  private Event fetchAndInstall(
      int chainId, Effect.InstallSnapshot i, NodeInfo source, long token, SnapshotRequest request) {
    try {
      if (source == null) {
        throw new IllegalStateException("no address for " + i.from());
      }
      SyncListener l = listener;
      // §4 rejoin: send the digests of what this node holds; only differing buckets come.
      var withDigests = request.toBuilder();
      store.syncDigests(chainId, token).ifPresent(d -> withDigests.setDigests(d.toProto()));
      long[] done = new long[2]; // records, bytes: the last progress is the final count
      boolean installed =
          store.installSnapshot(
              chainId,
              token,
              new TotalsTap(
                  transport.fetchSnapshot(source, withDigests.build()),
                  (totals, diff) -> l.planned(chainId, i.epoch(), totals, diff)),
              (records, bytes) -> {
                done[0] = records;
                done[1] = bytes;
                l.progress(chainId, i.epoch(), records, bytes);
              });
      if (!installed) {
        return new Event.SnapshotFailed(i.cut(), "superseded by a newer join");
      }
      l.installed(chainId, i.epoch(), done[0], done[1]);
      return null;
    } catch (RuntimeException e) {
      LOG.warn("snapshot of chain {} from {} failed: {}", chainId, i.from(), e.toString());
      return new Event.SnapshotFailed(i.cut(), e.toString());
    }
  }

  private void finish(
      int chainId, Effect.InstallSnapshot i, long token, Event failure, long started) {
    if (installTokens.getOrDefault(chainId, -1L) != token) {
      return; // a newer join of this chain is under way
    }
    installTokens.remove(chainId);
    if (failure != null) {
      inbox.deliver(chainId, failure);
      return;
    }
    failures.remove(chainId);
    LOG.info(
        "chain {}: snapshot from {} at cut {} installed in {} ms",
        chainId,
        i.from(),
        i.cut(),
        (loop.nanoTime() - started) / 1_000_000);
    inbox.deliver(chainId, new Event.SnapshotInstalled(i.cut(), store.loadDedup(chainId)));
  }
}
