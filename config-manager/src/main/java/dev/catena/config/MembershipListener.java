package dev.catena.config;

/**
 * What a storage node's runtime learns from its node agent. Calls come from one agent thread, in
 * order; they must not block for long.
 */
public interface MembershipListener {
  /** A configuration that differs from the previously delivered one. */
  void onConfiguration(ClusterConfiguration cfg);

  /**
   * The node lost (or may have lost) its ZooKeeper session: it must stop serving reads and accept
   * no writes (DESIGN §4 invariant 7) until a later {@link #onConfiguration} after reconnection and
   * a valid lease.
   */
  void onFenced(String reason);
}
