package dev.catena.config;

/**
 * Receives {@link ClusterChange} notifications. It is called on the store's event thread: it must
 * return quickly and never block (hand the work to an executor).
 */
@FunctionalInterface
public interface ClusterChangeListener {
  void onChange(ClusterChange change);
}
