package dev.catena.config;

/** Another live session holds the registration of this node id. */
public final class NodeIdInUseException extends ClusterStateException {
  public NodeIdInUseException(String message) {
    super(message);
  }

  public NodeIdInUseException(String message, Throwable cause) {
    super(message, cause);
  }
}
