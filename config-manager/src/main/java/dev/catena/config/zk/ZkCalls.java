package dev.catena.config.zk;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.catena.config.ClusterStateException;
import dev.catena.config.StoreUnavailableException;
import org.apache.zookeeper.KeeperException;

/**
 * Runs one Curator call and maps its failures onto the store's exception types. Curator declares
 * {@code throws Exception}; this is the single place that translates it: connection-type failures
 * become {@link StoreUnavailableException}, an interrupt restores the thread's interrupt flag and
 * becomes {@link StoreUnavailableException}, other ZooKeeper errors become {@link
 * ClusterStateException} with the cause attached. Expected outcomes (no node, node exists, bad
 * version) are handled by the callers, which catch the {@link KeeperException} subclasses thrown by
 * {@link #keeper}.
 */
final class ZkCalls {
  private ZkCalls() {}

  /** A Curator call. */
  @FunctionalInterface
  interface ZkCall<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code call}; lets {@link KeeperException}s that describe an outcome (no node, node
   * exists, bad version, not empty) through to the caller, maps everything else.
   */
  static <T> T keeper(String what, ZkCall<T> call) throws KeeperException {
    try {
      return call.call();
    } catch (KeeperException.NoNodeException
        | KeeperException.NodeExistsException
        | KeeperException.BadVersionException
        | KeeperException.NotEmptyException e) {
      throw e;
    } catch (KeeperException.ConnectionLossException
        | KeeperException.SessionExpiredException
        | KeeperException.OperationTimeoutException
        | KeeperException.SessionMovedException e) {
      throw new StoreUnavailableException(what + ": " + e.code(), e);
    } catch (KeeperException e) {
      throw new ClusterStateException(what + ": " + e.code(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(what + ": interrupted", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ClusterStateException(what + ": " + e, e);
    }
  }

  /** Runs {@code call}, mapping every failure (outcome exceptions included). */
  static <T> T run(String what, ZkCall<T> call) {
    try {
      return keeper(what, call);
    } catch (KeeperException e) {
      throw new ClusterStateException(what + ": " + e.code(), e);
    }
  }

  /** Parses a stored protobuf value. */
  static <M extends Message> M parse(Parser<M> parser, byte[] data, String path) {
    try {
      return parser.parseFrom(data == null ? new byte[0] : data);
    } catch (InvalidProtocolBufferException e) {
      throw new ClusterStateException("corrupt value at " + path, e);
    }
  }
}
