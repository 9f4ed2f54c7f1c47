package dev.catena.frangipani.lock;

import dev.catena.frangipani.lock.LockQueue.Entry;
import dev.catena.frangipani.lock.LockQueue.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The lock server's table (lock → queue of requests), in memory and pure: no I/O, threads or
 * clocks. It is the model the ZooKeeper lock service implements (each entry there is a lock node;
 * its sequence is the node's sequence and its token the node's czxid) and the reference the
 * property tests and the simulation check the clerk against.
 *
 * <p>Contract: grants follow {@link LockQueue}; every entry gets a token larger than every token
 * handed out before (like a czxid), so a later grant of a lock always carries a larger token; a
 * clerk has at most one entry per lock, except while it downgrades (its exclusive entry and the
 * {@link Kind#DOWNGRADED} entry replacing it are swapped in one step). Not thread-safe.
 */
public final class LockTable {
  /** A grant: the lock, the clerk holding it, the mode and the grant's fencing token. */
  public record Grant(String lock, String clerk, LockMode mode, long token) {}

  /** A request that the holder (or earlier waiter) {@code clerk} give {@code lock} up. */
  public record Revoke(String lock, String clerk) {}

  /** What one step changed: grants that became effective and revocations to deliver. */
  public record Outcome(List<Grant> granted, List<Revoke> revokes) {
    static final Outcome NONE = new Outcome(List.of(), List.of());
  }

  private final Map<String, List<Entry>> queues = new TreeMap<>();
  private final Map<Long, Long> tokens = new HashMap<>();
  private long nextSeq = 1;
  private long nextToken = 1000;

  /**
   * Queues a request of {@code clerk} for {@code lock}. Returns the grant if it is effective at
   * once, and the revocations of the incompatible entries ahead of it.
   */
  public Outcome request(String lock, String clerk, LockMode mode) {
    List<Entry> q = queues.computeIfAbsent(lock, k -> new ArrayList<>());
    if (q.stream().anyMatch(e -> e.clerk().equals(clerk))) {
      throw new IllegalStateException(clerk + " already has an entry for " + lock);
    }
    Entry mine = newEntry(clerk, mode == LockMode.EXCLUSIVE ? Kind.EXCLUSIVE : Kind.SHARED);
    Set<Long> before = grantedSeqs(q);
    q.add(mine);
    List<Revoke> revokes = new ArrayList<>();
    for (Entry e : LockQueue.toRevoke(q, q.size() - 1)) {
      revokes.add(new Revoke(lock, e.clerk()));
    }
    return new Outcome(newlyGranted(lock, before), revokes);
  }

  /** Removes the entry of {@code clerk} for {@code lock}; returns the grants this unblocks. */
  public Outcome release(String lock, String clerk) {
    List<Entry> q = queues.getOrDefault(lock, List.of());
    Set<Long> before = grantedSeqs(q);
    boolean removed = q.removeIf(e -> e.clerk().equals(clerk));
    if (!removed) {
      return Outcome.NONE;
    }
    Outcome out = new Outcome(newlyGranted(lock, before), List.of());
    if (q.isEmpty()) {
      queues.remove(lock);
    }
    return out;
  }

  /**
   * Replaces the exclusive grant of {@code clerk} with a shared ({@link Kind#DOWNGRADED}) one with
   * a fresh token; returns that grant first, then the readers it lets in.
   */
  public Outcome downgrade(String lock, String clerk) {
    List<Entry> q = queues.getOrDefault(lock, List.of());
    int i = indexOf(q, clerk);
    if (i < 0 || q.get(i).kind() != Kind.EXCLUSIVE || !LockQueue.granted(q, i)) {
      throw new IllegalStateException(clerk + " does not hold " + lock + " exclusively");
    }
    Set<Long> before = grantedSeqs(q);
    Entry d = newEntry(clerk, Kind.DOWNGRADED);
    q.add(d);
    q.remove(i);
    List<Grant> granted = new ArrayList<>();
    granted.add(new Grant(lock, clerk, LockMode.SHARED, tokens.get(d.seq())));
    before.add(d.seq());
    granted.addAll(newlyGranted(lock, before));
    return new Outcome(granted, List.of());
  }

  /** Drops every entry of {@code clerk} (its session expired); returns the grants this unblocks. */
  public Outcome expire(String clerk) {
    List<Grant> granted = new ArrayList<>();
    for (String lock : List.copyOf(queues.keySet())) {
      granted.addAll(release(lock, clerk).granted());
    }
    return new Outcome(granted, List.of());
  }

  /** The queue of {@code lock} in arrival order (a copy). */
  public List<Entry> queue(String lock) {
    return List.copyOf(queues.getOrDefault(lock, List.of()));
  }

  /** Current grants of {@code lock}. */
  public List<Grant> holders(String lock) {
    List<Entry> q = queues.getOrDefault(lock, List.of());
    List<Grant> out = new ArrayList<>();
    for (int i = 0; i < q.size(); i++) {
      if (LockQueue.granted(q, i)) {
        Entry e = q.get(i);
        out.add(new Grant(lock, e.clerk(), e.kind().mode(), tokens.get(e.seq())));
      }
    }
    return out;
  }

  /** Every lock with at least one entry. */
  public Set<String> locks() {
    return Set.copyOf(queues.keySet());
  }

  private Entry newEntry(String clerk, Kind kind) {
    Entry e = new Entry(nextSeq++, clerk, kind);
    tokens.put(e.seq(), nextToken++);
    return e;
  }

  private static int indexOf(List<Entry> q, String clerk) {
    for (int i = 0; i < q.size(); i++) {
      if (q.get(i).clerk().equals(clerk)) {
        return i;
      }
    }
    return -1;
  }

  private static Set<Long> grantedSeqs(List<Entry> q) {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < q.size(); i++) {
      if (LockQueue.granted(q, i)) {
        out.add(q.get(i).seq());
      }
    }
    return out;
  }

  private List<Grant> newlyGranted(String lock, Set<Long> before) {
    List<Entry> q = queues.getOrDefault(lock, List.of());
    List<Grant> out = new ArrayList<>();
    for (int i = 0; i < q.size(); i++) {
      Entry e = q.get(i);
      if (!before.contains(e.seq()) && LockQueue.granted(q, i)) {
        out.add(new Grant(lock, e.clerk(), e.kind().mode(), tokens.get(e.seq())));
      }
    }
    return out;
  }
}
