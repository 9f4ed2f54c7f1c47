package dev.catena.chain.runtime;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one place that decides whether this node may serve (DESIGN.md §4 invariant 7, §4a "Zombies").
 * A node serves only while all of these hold:
 *
 * <ol>
 *   <li><b>storage works</b>: no persist or commit mark has failed (fail-stop, latched for the
 *       process's life; only a restart clears it);
 *   <li><b>the session is not in doubt</b>: since the last SUSPENDED/LOST report of the ZooKeeper
 *       session ({@link #sessionInDoubt}), a configuration arrived that was read <b>under the
 *       node's current registration</b> (its incarnation) while the lease was valid ({@link
 *       #configurationRead}); a configuration read in an earlier session and delivered late (after
 *       a SIGSTOP, say) never lifts the fence;
 *   <li><b>the lease is valid now</b>: checked on every decision, because a node frozen past its
 *       lease wakes with queued calls before any session event arrives.
 * </ol>
 *
 * <p>Which chains the node serves, and in which epoch, is not decided here: whether a chain lists
 * this node with its current incarnation is {@link MembershipFilter}'s rule, and the epoch is the
 * replica's own. The replicas learn this fence's state as {@code Event.FenceChanged} (and {@code
 * Event.StorageFailed}) from the runtime, which subscribes with {@link #onChange}; the runtime's
 * admission and its serving of reads and snapshot grants ask {@link #refusal()}. The node's
 * ZooKeeper membership feeds the session inputs; a node without ZooKeeper (a single-JVM cluster in
 * tests or benchmarks) calls {@link #sessionConfirmed()} once.
 *
 * <p>A new fence is fenced: "not registered yet". Thread-safe: inputs come from the membership's
 * delivery thread and the event loop, queries from transport threads and the loop; the change
 * listener runs on the thread that made the change and must not block.
 */
public final class NodeFence {
  private final String nodeId;
  private final BooleanSupplier leaseValid;
  private volatile Runnable listener = () -> {};

  // Guarded by this; volatile for lock-free reads.
  private volatile String storageFailure;
  private volatile String doubt = "not registered yet";

  /**
   * @param nodeId for messages
   * @param leaseValid true while the node's ZooKeeper session is connected and its lease fresh;
   *     evaluated on every decision
   */
  public NodeFence(String nodeId, BooleanSupplier leaseValid) {
    this.nodeId = nodeId;
    this.leaseValid = leaseValid;
  }

  /**
   * A fence for a node without a ZooKeeper session (a single-JVM cluster wired by hand, tests,
   * benchmarks): the lease is always valid and the session confirmed, so only a storage failure
   * fences it.
   */
  public static NodeFence withoutSession(String nodeId) {
    var fence = new NodeFence(nodeId, () -> true);
    fence.sessionConfirmed();
    return fence;
  }

  /**
   * The decision, as a pure function of the inputs: why the node may not serve, or empty if it may.
   * Storage failure outranks a session in doubt, which outranks a lapsed lease.
   */
  static Optional<String> verdict(String storageFailure, String doubt, boolean leaseValid) {
    if (storageFailure != null) {
      return Optional.of("storage failed: " + storageFailure);
    }
    if (doubt != null) {
      return Optional.of(doubt);
    }
    return leaseValid ? Optional.empty() : Optional.of("lease lapsed");
  }

  /**
   * Sets who hears about changes of {@link #fenced()} (the runtime, to inform its replicas). The
   * listener reads {@link #fenced()} itself: notifications from different threads may arrive in any
   * order.
   */
  public void onChange(Runnable listener) {
    this.listener = listener;
  }

  /**
   * A configuration was delivered, read under registration {@code readUnder}, while the node's
   * current registration is {@code current}: the session doubt is lifted only if both are the same
   * non-empty incarnation and the lease is valid now; otherwise the node stays (or becomes) fenced.
   */
  public void configurationRead(String readUnder, String current) {
    String why;
    if (readUnder.isEmpty() || !readUnder.equals(current)) {
      why = "configuration read under an earlier registration";
    } else if (!leaseValid.getAsBoolean()) {
      why = "no valid lease";
    } else {
      why = null;
    }
    setDoubt(why);
  }

  /** The ZooKeeper session may be lost (SUSPENDED, LOST, lease lapsed): stop serving. */
  public void sessionInDoubt(String reason) {
    setDoubt("session in doubt: " + reason);
  }

  /**
   * Lifts the session doubt without a configuration: for a node that has no ZooKeeper session (a
   * single-JVM cluster wired by hand). Does not lift a storage failure.
   */
  public void sessionConfirmed() {
    setDoubt(null);
  }

  /**
   * Latches a storage failure; the node is fenced for good.
   *
   * @return true if this call latched it, false if storage had failed already
   */
  boolean storageFailed(String reason) {
    boolean before;
    synchronized (this) {
      if (storageFailure != null) {
        return false;
      }
      before = fenced();
      storageFailure = reason;
    }
    if (!before) {
      listener.run();
    }
    return true;
  }

  /** Why storage failed, if it did. */
  public Optional<String> storageFailure() {
    return Optional.ofNullable(storageFailure);
  }

  /**
   * True while storage has failed or the session is in doubt: the state the replicas hold. A lapsed
   * lease alone does not show here (it is not an event); {@link #refusal()} includes it.
   */
  public boolean fenced() {
    return storageFailure != null || doubt != null;
  }

  /** Why this node may not serve right now (lease checked now), or empty if it may. */
  public Optional<String> refusal() {
    return verdict(storageFailure, doubt, leaseValid.getAsBoolean())
        .map(why -> "node " + nodeId + " fenced: " + why);
  }

  private void setDoubt(String why) {
    boolean before;
    boolean after;
    synchronized (this) {
      before = fenced();
      doubt = why;
      after = fenced();
    }
    if (before != after) {
      listener.run();
    }
  }
}
