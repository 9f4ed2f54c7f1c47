package dev.catena.config;

import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.SyncStatus;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster coordinator (DESIGN §6). Many may run; a {@link LeaderElection} (in production a
 * Curator {@code LeaderLatch} on {@code manager/leader}) makes exactly one active, the others wait
 * as standbys and take over when the active one closes or loses its session. It reads and writes
 * cluster state only through {@link ClusterStateStore}, so the same class runs against ZooKeeper
 * and against a simulated store.
 *
 * <p>All work happens on one thread, in event order: leadership gained, node registrations
 * appearing or vanishing, and a re-sync after reconnection each become a {@link ClusterEvent}; the
 * coordinator reads a {@link ClusterSnapshot}, asks the pure {@link ReconfigurationPolicy} what the
 * configuration should become, and publishes the answer as one atomic compare-and-set update. A
 * stale basis (someone changed the state in between) makes it re-read and ask again, at most {@link
 * #MAX_ATTEMPTS} times per event; an unreachable store makes it wait for the next event (a
 * reconnection always produces one). No sleeps, no polling. The worker is its own thread, or an
 * executor the caller supplies (a simulation runs it in virtual time); either way events are
 * handled one at a time, in order.
 *
 * <p>A coordinator that lost leadership between its check and its write cannot corrupt the state:
 * its write is based on the versions it read, so it fails if the new leader wrote first.
 *
 * <p>Events: leadership gained, node registrations appearing or vanishing, sync reports ({@code
 * sync/}) and operator requests ({@code requests/}) changing, and a re-sync. Per event it publishes
 * policy steps until the policy has nothing more to do ({@link #MAX_STEPS} at most), since a policy
 * such as {@link dev.catena.config.Reconfigurer} makes one membership change per chain per step.
 * Afterwards it tidies up: sync reports of nodes no longer joining that chain, remove requests of
 * drained nodes that have unregistered, and a rebalance request once the policy {@linkplain
 * dev.catena.config.ReconfigurationPolicy#isSettled is settled} are deleted. Every step is decided
 * from a fresh snapshot, so a standby that takes over half-way simply continues.
 */
public final class Coordinator implements Closeable {
  /** Evaluations per event when the basis keeps turning out stale. */
  public static final int MAX_ATTEMPTS = 3;

  /** Steps published per event at most (each step is one change per chain). */
  public static final int MAX_STEPS = 64;

  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  private static final int QUEUE_CAPACITY = 1024;

  private final ClusterStateStore store;
  private final ReconfigurationPolicy policy;
  private final LeaderElection election;
  private final Executor executor;
  private final ThreadPoolExecutor ownedExecutor;
  private final AtomicBoolean resyncNeeded = new AtomicBoolean();
  private final AtomicLong publishes = new AtomicLong();
  private volatile Subscription subscription;

  /**
   * A coordinator with its own worker thread.
   *
   * @param store the store of the cluster to coordinate
   * @param election the election among this cluster's coordinators (closed with this one)
   * @param policy the decision function
   */
  public Coordinator(
      ClusterStateStore store, LeaderElection election, ReconfigurationPolicy policy) {
    this.store = store;
    this.policy = policy;
    this.election = election;
    this.ownedExecutor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            r -> {
              Thread t = new Thread(r, "catena-coordinator-" + election.id());
              t.setDaemon(true);
              return t;
            },
            // Overflow: drop the event but remember to re-read everything afterwards.
            (r, ex) -> resyncNeeded.set(true));
    this.executor = ownedExecutor;
  }

  /**
   * A coordinator whose events run on {@code worker}, which must run tasks one at a time in
   * submission order; the caller owns it (a simulation runs it in virtual time).
   */
  public Coordinator(
      ClusterStateStore store,
      LeaderElection election,
      ReconfigurationPolicy policy,
      Executor worker) {
    this.store = store;
    this.policy = policy;
    this.election = election;
    this.ownedExecutor = null;
    this.executor = worker;
  }

  /**
   * Starts reacting to cluster changes, then joins the leader election (watching first, so no
   * change after the first snapshot of a new leader goes unnoticed).
   */
  public void start() {
    subscription = store.watch(this::onChange);
    election.start(
        new LeaderElection.Listener() {
          @Override
          public void isLeader() {
            handle(new ClusterEvent.LeadershipAcquired());
          }

          @Override
          public void notLeader() {
            log.info("coordinator {} is no longer active", election.id());
          }
        },
        executor);
  }

  /** True while this coordinator holds the leadership. */
  public boolean isActive() {
    return election.hasLeadership();
  }

  /** How many updates this coordinator has published (for tests and metrics). */
  public long publishedUpdates() {
    return publishes.get();
  }

  private void onChange(ClusterChange change) {
    switch (change.kind()) {
      case NODES -> enqueue(() -> handle(nodeEvent(change)));
      case SYNC -> enqueue(() -> handle(syncEvent(change)));
      case REQUESTS -> enqueue(() -> handle(requestEvent(change)));
      case RESYNC -> enqueue(() -> handle(new ClusterEvent.Resync()));
      default -> {
        // Chains, shard map and buckets are written by the coordinator itself or by tools.
      }
    }
  }

  /** Queues work; on overflow (or after close) the event is dropped but a re-read is owed. */
  private void enqueue(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      resyncNeeded.set(true);
    }
  }

  /** Classifies a node change on the worker thread by reading the node list. */
  private ClusterEvent nodeEvent(ClusterChange change) {
    if (change.name().isEmpty()) {
      return new ClusterEvent.Resync();
    }
    String id = change.name().get();
    try {
      return store.readNodes().containsKey(id)
          ? new ClusterEvent.NodeJoined(id)
          : new ClusterEvent.NodeLost(id);
    } catch (StoreUnavailableException | ClusterNotFoundException e) {
      return new ClusterEvent.Resync();
    }
  }

  private static ClusterEvent syncEvent(ClusterChange change) {
    String[] parts = change.name().orElse("").split("/", 2);
    if (parts.length == 2) {
      try {
        return new ClusterEvent.SyncReported(Integer.parseInt(parts[0]), parts[1]);
      } catch (NumberFormatException e) {
        // Not a report path: fall through to a full re-read.
      }
    }
    return new ClusterEvent.Resync();
  }

  private static ClusterEvent requestEvent(ClusterChange change) {
    String name = change.name().orElse("");
    if (name.equals("rebalance")) {
      return new ClusterEvent.Rebalance();
    }
    if (name.startsWith("remove/")) {
      return new ClusterEvent.RemoveNode(name.substring("remove/".length()));
    }
    return new ClusterEvent.Resync();
  }

  private void handle(ClusterEvent event) {
    run(event);
    if (resyncNeeded.getAndSet(false)) {
      run(new ClusterEvent.Resync());
    }
  }

  /**
   * Publishes policy steps until the policy has nothing more to do (or {@link #MAX_STEPS}), then
   * tidies up: deletes sync reports of nodes no longer joining that chain, remove requests of nodes
   * that are in no chain and unregistered, and a rebalance request once the cluster is settled.
   */
  private void run(ClusterEvent event) {
    ClusterEvent current = event;
    for (int step = 0; step < MAX_STEPS; step++) {
      if (!evaluate(current)) {
        tidy();
        return;
      }
      current = new ClusterEvent.Resync();
    }
    log.warn(
        "still changing after {} steps for {}; continuing on the next event", MAX_STEPS, event);
  }

  private void tidy() {
    try {
      if (!election.hasLeadership()) {
        return;
      }
      ClusterSnapshot s = store.readSnapshot();
      for (SyncStatus status : s.syncStatuses()) {
        Versioned<ChainConfig> chain = s.chains().get(status.getChainId());
        boolean joining =
            chain != null
                && chain.value().getMembersList().stream()
                    .anyMatch(
                        m ->
                            m.getNodeId().equals(status.getNodeId())
                                && (m.getState() == MemberState.SYNCING || m.getLeaving()));
        if (!joining) {
          store.deleteSyncStatus(status.getChainId(), status.getNodeId());
        }
      }
      for (String node : s.requests().removeNodes()) {
        boolean member =
            s.chains().values().stream()
                .flatMap(v -> v.value().getMembersList().stream())
                .anyMatch(m -> m.getNodeId().equals(node));
        if (!member && !s.nodes().containsKey(node)) {
          store.completeRemoveNode(node);
        }
      }
      if (s.requests().rebalance() && policy.isSettled(s)) {
        store.completeRebalance();
      }
    } catch (StoreUnavailableException | ClusterNotFoundException e) {
      log.warn("tidying up failed, retried on the next event: {}", e.getMessage());
    }
  }

  /** One policy step; true if something was published. */
  private boolean evaluate(ClusterEvent event) {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (!election.hasLeadership()) {
        return false;
      }
      try {
        ClusterSnapshot snapshot = store.readSnapshot();
        Reconfiguration next = policy.next(snapshot, event);
        if (next.isEmpty()) {
          return false;
        }
        if (!election.hasLeadership()) {
          return false;
        }
        store.publish(next.toUpdate(snapshot));
        publishes.incrementAndGet();
        log.info("coordinator {} published {} after {}", election.id(), describe(next), event);
        return true;
      } catch (StaleVersionException e) {
        log.info("stale basis for {} (attempt {}): {}", event, attempt, e.getMessage());
      } catch (StoreUnavailableException e) {
        log.warn("store unavailable while handling {}: {}", event, e.getMessage());
        return false;
      } catch (ClusterNotFoundException e) {
        log.warn("cluster not created yet: {}", e.getMessage());
        return false;
      }
    }
    log.warn(
        "gave up on {} after {} stale attempts; waiting for the next event", event, MAX_ATTEMPTS);
    return false;
  }

  /**
   * The published chains, e.g. {@code chain 2@17 [n1 n3 n4!] + [n2~]}: ACTIVE members head first,
   * {@code !} leaving, then SYNCING members.
   */
  private static String describe(Reconfiguration r) {
    StringBuilder b = new StringBuilder();
    for (ChainConfig c : r.chains()) {
      b.append(b.length() == 0 ? "" : ", ").append("chain ").append(c.getChainId());
      b.append('@').append(c.getEpoch()).append(" [");
      c.getMembersList().stream()
          .filter(m -> m.getState() != MemberState.SYNCING)
          .forEach(m -> b.append(m.getNodeId()).append(m.getLeaving() ? "! " : " "));
      b.setLength(b.length() - (b.charAt(b.length() - 1) == ' ' ? 1 : 0));
      b.append(']');
      c.getMembersList().stream()
          .filter(m -> m.getState() == MemberState.SYNCING)
          .forEach(m -> b.append(" + ").append(m.getNodeId()).append('~'));
    }
    return b + (r.shardMap().isPresent() ? " and the shard map" : "");
  }

  /** Leaves the election (a standby takes over) and stops the worker thread, if it owns one. */
  @Override
  public void close() throws IOException {
    Subscription sub = subscription;
    if (sub != null) {
      sub.close();
    }
    election.close();
    if (ownedExecutor == null) {
      return;
    }
    ownedExecutor.shutdown();
    try {
      if (!ownedExecutor.awaitTermination(10, TimeUnit.SECONDS)) {
        ownedExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownedExecutor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
