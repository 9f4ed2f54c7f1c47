package dev.catena.deploy.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Since when each node the manager has seen is down, so the dashboard keeps showing a killed node
 * (red) after the coordinator has repaired its chains and {@code cluster status} no longer lists
 * it. Pure; not thread-safe (the dashboard's sampler thread owns it).
 *
 * <p>A node is down from the first observation that lists it as not live, or does not list it at
 * all after it was listed before ({@code departed}); it is up again as soon as it is listed live. A
 * departed node is forgotten {@code retention} after it went down (a drained node that was stopped
 * on purpose does not stay red for ever).
 */
final class NodeLiveness {
  private final long retentionMillis;
  private final Map<String, Long> downSince = new TreeMap<>(); // value -1: up
  private final Map<String, Boolean> listed = new TreeMap<>();

  NodeLiveness(Duration retention) {
    this.retentionMillis = retention.toMillis();
  }

  /**
   * One observation at {@code atMillis}: every node {@code cluster status} lists, with whether it
   * is live (registered).
   */
  void observe(Map<String, Boolean> live, long atMillis) {
    listed.clear();
    listed.putAll(live);
    live.forEach(
        (node, up) -> {
          if (up) {
            downSince.put(node, -1L);
          } else if (downSince.getOrDefault(node, -1L) < 0) {
            downSince.put(node, atMillis);
          }
        });
    downSince.replaceAll((node, since) -> since < 0 && !live.containsKey(node) ? atMillis : since);
    downSince
        .entrySet()
        .removeIf(e -> !live.containsKey(e.getKey()) && atMillis - e.getValue() > retentionMillis);
  }

  /** When {@code node} went down, as far as this manager saw; empty if up or unknown. */
  Optional<Long> downSince(String node) {
    long since = downSince.getOrDefault(node, -1L);
    return since < 0 ? Optional.empty() : Optional.of(since);
  }

  /** Nodes seen before that the last observation did not list (down, not yet forgotten). */
  List<String> departed() {
    return downSince.keySet().stream().filter(n -> !listed.containsKey(n)).toList();
  }
}
