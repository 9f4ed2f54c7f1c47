package dev.catena.chain.protocol;

import dev.catena.proto.v1.WriteResult;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exactly-once table (invariant 8): for every client, the results of its recent requests, by
 * request seq. Records below the client's {@code acked_below} mark are discarded (the client has
 * seen their replies and will never retry them), which bounds the table by the number of requests a
 * client has in flight.
 */
final class ClientSessions {
  private static final class Session {
    final TreeMap<Long, WriteResult> results = new TreeMap<>();
    long ackedBelow;
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

  /** Records a result and discards records below {@code ackedBelow}. */
  void record(String clientId, long requestSeq, long ackedBelow, WriteResult result) {
    Session s = sessions.computeIfAbsent(clientId, c -> new Session());
    s.results.put(requestSeq, result);
    if (ackedBelow > s.ackedBelow) {
      s.ackedBelow = ackedBelow;
      s.results.headMap(ackedBelow, false).clear();
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
