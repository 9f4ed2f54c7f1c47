package dev.catena.config;

/**
 * Settings, node ids or a configuration are not valid (for example a chain longer than the number
 * of nodes, or a shard count below one).
 */
public final class InvalidConfigException extends ClusterStateException {
  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
