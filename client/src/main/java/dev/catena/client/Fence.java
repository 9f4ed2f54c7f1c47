package dev.catena.client;

import java.util.Objects;

/**
 * The fencing token of a write made under a lock (DESIGN §7): the chain head refuses the write with
 * {@link StaleFencingTokenException} if it has seen a higher token for {@code scope}, and the
 * highest token per scope is replicated with the writes, so it survives head failover and joins.
 *
 * @param scope what the lock protects (e.g. the lock's name); at most 256 UTF-8 bytes
 * @param token grows with every grant of the lock (e.g. the czxid of its ZooKeeper node); positive
 */
public record Fence(String scope, long token) {
  public Fence {
    Objects.requireNonNull(scope, "scope");
    if (scope.isEmpty() || token <= 0) {
      throw new IllegalArgumentException("a fence needs a scope and a positive token");
    }
  }
}
