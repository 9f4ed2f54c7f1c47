package dev.catena.s3.auth;

import java.util.Optional;

/**
 * Where the gateway finds access keys by id. Lookups happen on every request, so implementations
 * answer from memory (the ZooKeeper one keeps a watched cache).
 */
public interface AccessKeyDirectory {
  /** The key with this id, if it exists. */
  Optional<AccessKey> find(String accessKeyId);
}
