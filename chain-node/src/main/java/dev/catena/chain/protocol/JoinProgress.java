package dev.catena.chain.protocol;

/**
 * Where a join stands, on both sides of the link between a SYNCING joiner and its predecessor (CR
 * §3 "adding a new tail"; DESIGN §4 "Add a tail"). Package-private state of {@link ChainReplica};
 * pure.
 *
 * <p>The joiner is promoted to tail only once it holds every write that was committed without it:
 *
 * <ol>
 *   <li>the joiner installs a snapshot while its predecessor forwards new writes;
 *   <li>it sends a Hello saying it has installed ({@code Hello.installed});
 *   <li>from then on the predecessor — the tail — commits only writes the joiner has acknowledged
 *       ({@link #joinerInCommit}), resends what the joiner lacks and sends {@code SentThrough} with
 *       its last seq, which bounds everything it committed alone;
 *   <li>once that seq is durable at the joiner, the joiner reports caught up for the epoch.
 * </ol>
 *
 * <p>Without step 3 a promoted joiner could lack writes its predecessor committed just before the
 * promotion; if that predecessor was then lost, its own predecessor had already dropped them.
 */
final class JoinProgress {
  /** Predecessor side: the SYNCING successor has installed and takes part in commit. */
  boolean joinerInCommit;

  private boolean installed;
  private long target = -1;
  private boolean reported;
  private long predecessorSeq;

  /** A new epoch: the joiner side keeps its install while still SYNCING; the rest starts over. */
  void epochChanged(Role now) {
    joinerInCommit = false;
    target = -1;
    reported = false;
    predecessorSeq = 0;
    if (now != Role.SYNCING) {
      installed = false;
    }
  }

  /** The joiner's snapshot is installed (step 2 follows). */
  void installed() {
    installed = true;
  }

  /** What the joiner's Hello says: installed in this join and not partial since. */
  boolean helloInstalled(Role role, boolean partial) {
    return role == Role.SYNCING && installed && !partial;
  }

  /**
   * The predecessor sent everything through {@code seq} (step 3). Every handshake asks for a new
   * report: one may have been lost while ZooKeeper was unreachable.
   */
  void sentThrough(long seq, Role role) {
    heard(seq);
    if (role == Role.SYNCING && installed) {
      target = seq;
      reported = false;
    }
  }

  /** True once per handshake, when the joiner holds {@code target} durably (step 4). */
  boolean reportCaughtUp(long durable) {
    if (target < 0 || durable < target || reported) {
      return false;
    }
    reported = true;
    return true;
  }

  /** The predecessor holds {@code seq} in this epoch (a snapshot cut, a forward, a SentThrough). */
  void heard(long seq) {
    predecessorSeq = Math.max(predecessorSeq, seq);
  }

  /**
   * The join's replication lag as {@code SyncStatus.lag_seqs} defines it: the highest seq the
   * predecessor is known to hold in this epoch minus {@code durable}, never negative.
   */
  long lag(long durable) {
    return Math.max(0, predecessorSeq - durable);
  }
}
