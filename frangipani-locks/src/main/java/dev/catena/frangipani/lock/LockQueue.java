package dev.catena.frangipani.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The grant rule of one lock, as a pure function of its queue of requests in arrival order (the
 * sequence order of ZooKeeper's lock nodes). Both the ZooKeeper lock service and the in-memory
 * {@link LockTable} decide with these functions, so the rule is written once.
 *
 * <p>Rules (fair FIFO, no writer starvation):
 *
 * <ul>
 *   <li>an {@link Kind#EXCLUSIVE} request is granted when it is first in the queue and no {@link
 *       Kind#DOWNGRADED} grant exists anywhere;
 *   <li>a {@link Kind#SHARED} request is granted when no exclusive request is before it (an
 *       exclusive waiter blocks later readers, so writers are not starved);
 *   <li>a {@link Kind#DOWNGRADED} entry is a shared grant made by a clerk that held the lock
 *       exclusively: it is granted from birth, may sit behind waiters, and blocks every exclusive
 *       request until it is released.
 * </ul>
 */
public final class LockQueue {
  private LockQueue() {}

  /** What an entry asks for. */
  public enum Kind {
    SHARED,
    EXCLUSIVE,
    DOWNGRADED;

    /** The lock mode this entry holds once granted. */
    public LockMode mode() {
      return this == EXCLUSIVE ? LockMode.EXCLUSIVE : LockMode.SHARED;
    }
  }

  /** One request: its arrival sequence, the clerk that made it and its kind. */
  public record Entry(long seq, String clerk, Kind kind) {}

  /** What a revoked holder does: give the lock up, or keep it shared (readers are waiting). */
  public enum RevokeResponse {
    RELEASE,
    DOWNGRADE
  }

  /** Whether the entry at {@code index} of {@code queue} (sorted by seq) holds the lock. */
  public static boolean granted(List<Entry> queue, int index) {
    Entry e = queue.get(index);
    switch (e.kind()) {
      case DOWNGRADED:
        return true;
      case EXCLUSIVE:
        if (index != 0) {
          return false;
        }
        return queue.stream().noneMatch(x -> x.kind() == Kind.DOWNGRADED);
      case SHARED:
      default:
        for (int i = 0; i < index; i++) {
          if (queue.get(i).kind() == Kind.EXCLUSIVE) {
            return false;
          }
        }
        return true;
    }
  }

  /**
   * The entry whose removal the waiter at {@code index} waits for; empty if it is granted. An
   * exclusive waiter waits for its predecessor (or for a downgraded grant behind it), a shared one
   * for the last exclusive request before it.
   */
  public static Optional<Entry> blocker(List<Entry> queue, int index) {
    if (granted(queue, index)) {
      return Optional.empty();
    }
    Entry e = queue.get(index);
    if (e.kind() == Kind.EXCLUSIVE) {
      if (index > 0) {
        return Optional.of(queue.get(index - 1));
      }
      return queue.stream().filter(x -> x.kind() == Kind.DOWNGRADED).findFirst();
    }
    for (int i = index - 1; i >= 0; i--) {
      if (queue.get(i).kind() == Kind.EXCLUSIVE) {
        return Optional.of(queue.get(i));
      }
    }
    throw new IllegalStateException("shared entry not granted but no exclusive before it");
  }

  /**
   * The entries of other clerks that the request at {@code index} must ask to give way: every
   * incompatible entry before it (granted or still waiting: a waiter that is asked gives the lock
   * up after its own use), and for an exclusive request every downgraded grant.
   */
  public static List<Entry> toRevoke(List<Entry> queue, int index) {
    Entry me = queue.get(index);
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < queue.size(); i++) {
      Entry other = queue.get(i);
      if (i == index || other.clerk().equals(me.clerk())) {
        continue;
      }
      boolean before = i < index;
      boolean conflicts = !me.kind().mode().compatibleWith(other.kind().mode());
      if (conflicts && (before || other.kind() == Kind.DOWNGRADED)) {
        out.add(other);
      }
    }
    return out;
  }

  /**
   * How the holder at {@code index}, asked to give way, answers: {@link RevokeResponse#DOWNGRADE}
   * if it holds the lock exclusively and every other clerk's request is shared (readers only are
   * waiting), otherwise {@link RevokeResponse#RELEASE}.
   */
  public static RevokeResponse revokeResponse(List<Entry> queue, int index) {
    Entry me = queue.get(index);
    if (me.kind() != Kind.EXCLUSIVE) {
      return RevokeResponse.RELEASE;
    }
    boolean othersShared =
        queue.stream()
            .filter(x -> !x.clerk().equals(me.clerk()))
            .allMatch(x -> x.kind() != Kind.EXCLUSIVE);
    boolean anyOther = queue.stream().anyMatch(x -> !x.clerk().equals(me.clerk()));
    return anyOther && othersShared ? RevokeResponse.DOWNGRADE : RevokeResponse.RELEASE;
  }
}
