package dev.catena.deploy.dashboard;

import dev.catena.deploy.zk.ClusterAdmin.ChainStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last {@code capacity} epoch changes of chains that the manager observed, newest first, for
 * the dashboard's "recent reconfigurations". Pure and bounded; not thread-safe (the dashboard's
 * sampler thread owns it).
 *
 * <p>It compares each observation of the chain table with the previous one: a chain whose epoch
 * differs is logged with its members before and after and what changed in words. Observations are
 * reads of ZooKeeper, so steps the coordinator published in quick succession may be seen as one
 * change over several epochs ({@code fromEpoch} 3, {@code toEpoch} 5). The first observation is the
 * baseline and logs nothing; a chain first seen later is logged as created.
 */
final class ReconfigurationLog {
  /**
   * One observed change of a chain.
   *
   * @param before ACTIVE members head → tail before the change (empty for a new chain)
   * @param beforeSyncing SYNCING members before
   * @param after ACTIVE members after
   * @param afterSyncing SYNCING members after
   * @param changes what changed, in words ({@code n3 removed}, {@code n4 joins (syncing)}, {@code
   *     n4 promoted}, {@code head n1 → n2}, {@code tail n3 → n2}, {@code created}, or {@code
   *     members unchanged} for an epoch change that only marks a member as leaving)
   */
  record Change(
      long atMillis,
      int chainId,
      long fromEpoch,
      long toEpoch,
      List<String> before,
      List<String> beforeSyncing,
      List<String> after,
      List<String> afterSyncing,
      List<String> changes) {}

  private final int capacity;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  private Map<Integer, ChainStatus> last; // null before the first observation

  ReconfigurationLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** Compares the chain table read at {@code atMillis} with the previous one and logs changes. */
  void observe(List<ChainStatus> chains, long atMillis) {
    Map<Integer, ChainStatus> now = new HashMap<>();
    chains.forEach(c -> now.put(c.chainId(), c));
    if (last != null) {
      chains.stream()
          .sorted(java.util.Comparator.comparingInt(ChainStatus::chainId))
          .forEach(
              c -> {
                ChainStatus was = last.get(c.chainId());
                if (was == null) {
                  add(
                      new Change(
                          atMillis,
                          c.chainId(),
                          0,
                          c.epoch(),
                          List.of(),
                          List.of(),
                          c.members(),
                          c.syncing(),
                          List.of("created")));
                } else if (was.epoch() != c.epoch()) {
                  add(
                      new Change(
                          atMillis,
                          c.chainId(),
                          was.epoch(),
                          c.epoch(),
                          was.members(),
                          was.syncing(),
                          c.members(),
                          c.syncing(),
                          describe(was, c)));
                }
              });
    }
    last = now;
  }

  private void add(Change c) {
    changes.addFirst(c);
    while (changes.size() > capacity) {
      changes.removeLast();
    }
  }

  /** The kept changes, newest first. */
  List<Change> recent() {
    return List.copyOf(changes);
  }

  /** What changed between two configurations of one chain, in words. */
  static List<String> describe(ChainStatus was, ChainStatus now) {
    Set<String> wasAll = all(was);
    Set<String> nowAll = all(now);
    var out = new ArrayList<String>();
    wasAll.stream().filter(n -> !nowAll.contains(n)).forEach(n -> out.add(n + " removed"));
    now.syncing().stream()
        .filter(n -> !wasAll.contains(n))
        .forEach(n -> out.add(n + " joins (syncing)"));
    now.members().stream().filter(was.syncing()::contains).forEach(n -> out.add(n + " promoted"));
    role("head", first(was.members()), first(now.members()), out);
    role("tail", lastOf(was.members()), lastOf(now.members()), out);
    if (out.isEmpty()) {
      out.add("members unchanged");
    }
    return out;
  }

  private static void role(String role, String was, String now, List<String> out) {
    if (was != null && now != null && !was.equals(now)) {
      out.add(role + " " + was + " → " + now);
    }
  }

  private static Set<String> all(ChainStatus c) {
    var s = new LinkedHashSet<>(c.members());
    s.addAll(c.syncing());
    return s;
  }

  private static String first(List<String> l) {
    return l.isEmpty() ? null : l.get(0);
  }

  private static String lastOf(List<String> l) {
    return l.isEmpty() ? null : l.get(l.size() - 1);
  }
}
