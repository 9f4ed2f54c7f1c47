package dev.catena.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A notification that part of the cluster state changed. It carries no value: the receiver re-reads
 * what it needs (watches tell that something changed, reads tell what it is now).
 *
 * @param kind what changed
 * @param name the node id, chain id or bucket name concerned, if the change is about one of them
 */
public record ClusterChange(Kind kind, Optional<String> name) {
  /** The part of the state a change concerns. */
  public enum Kind {
    /** A node registered, re-registered or vanished. */
    NODES,
    /** A chain configuration was created or changed. */
    CHAINS,
    /** The shard map was created or changed. */
    SHARD_MAP,
    /** A bucket was created or deleted. */
    BUCKETS,
    /**
     * A joining member's {@code SyncStatus} was written or deleted; the name is {@code
     * <chainId>/<nodeId>} (or just the chain id when its folder changed).
     */
    SYNC,
    /**
     * An operator request appeared or was completed; the name is {@code rebalance} or {@code
     * remove/<nodeId>}.
     */
    REQUESTS,
    /**
     * The connection to the store came back after an interruption: notifications may have been
     * missed, so re-read everything.
     */
    RESYNC
  }

  public ClusterChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static ClusterChange of(Kind kind) {
    return new ClusterChange(kind, Optional.empty());
  }

  public static ClusterChange of(Kind kind, String name) {
    return new ClusterChange(kind, Optional.of(name));
  }
}
