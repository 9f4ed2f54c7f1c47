package dev.catena.chain.protocol;

import dev.catena.proto.v1.WriteResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Exactly-once table (invariant 8), the one owner of a replica's exactly-once state: for every
 * client, the results of its recent requests, by request seq. Records below the client's {@code
 * acked_below} mark are discarded (the client has seen their replies and will never retry them),
 * which bounds the table by the number of requests a client has in flight.
 *
 * <p>Storage keeps one record per request; this table decides which of them a write deletes: every
 * write {@linkplain #record records} its own result and returns the request seqs of the client's
 * stored records that are no longer needed — those its mark discards, and those found below the
 * mark when records were {@linkplain #load loaded} (after a restart or a join's install). The
 * persist effect carries them, so storage holds no second copy of this state.
 */
final class ClientSessions {
  private static final class Session {
    final TreeMap<Long, WriteResult> results = new TreeMap<>();
    long ackedBelow;
    // Requests whose stored records nothing needs any more: deleted with the client's next write.
    final TreeSet<Long> unreleased = new TreeSet<>();
  }

  private final Map<String, Session> sessions = new HashMap<>();

  /** The stored result of (clientId, requestSeq), if any. */
  Optional<WriteResult> lookup(String clientId, long requestSeq) {
    Session s = sessions.get(clientId);
    return s == null ? Optional.empty() : Optional.ofNullable(s.results.get(requestSeq));
  }

  /** True if records of this request were already discarded: a retry that can no longer match. */
  boolean isForgotten(String clientId, long requestSeq) {
    Session s = sessions.get(clientId);
    return s != null && requestSeq < s.ackedBelow;
  }

  /**
   * A write: records its result and discards records below {@code ackedBelow}.
   *
   * @return the client's request seqs whose stored records the write deletes (ascending)
   */
  List<Long> record(String clientId, long requestSeq, long ackedBelow, WriteResult result) {
    Session s = sessions.computeIfAbsent(clientId, c -> new Session());
    s.results.put(requestSeq, result);
    discardBelow(s, ackedBelow);
    s.unreleased.remove(requestSeq);
    var released = new ArrayList<>(s.unreleased);
    s.unreleased.clear();
    return released;
  }

  /**
   * A stored record (read back after a restart, or brought by a join's snapshot): kept, unless it
   * lies below the client's mark — then it is remembered for deletion by the client's next write. A
   * request the table already knows keeps its result (one request has one result).
   */
  void load(String clientId, long requestSeq, long ackedBelow, WriteResult result) {
    Session s = sessions.computeIfAbsent(clientId, c -> new Session());
    discardBelow(s, ackedBelow);
    if (requestSeq < s.ackedBelow) {
      s.unreleased.add(requestSeq);
    } else {
      s.results.putIfAbsent(requestSeq, result);
    }
  }

  private static void discardBelow(Session s, long mark) {
    if (mark > s.ackedBelow) {
      s.ackedBelow = mark;
      var below = s.results.headMap(mark, false);
      s.unreleased.addAll(below.keySet());
      below.clear();
    }
  }

  /** Forgets every record (the data they describe was dropped, e.g. by a join's snapshot). */
  void clear() {
    sessions.clear();
  }

  int size() {
    return sessions.values().stream().mapToInt(s -> s.results.size()).sum();
  }
}
