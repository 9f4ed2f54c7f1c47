package dev.catena.chain.runtime;

import dev.catena.chain.protocol.RecoveredState;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * What the node runtime needs from durable storage, in protocol terms. Implementations translate
 * writes into the storage engine's mutations (object state, dedup record and replication-log entry
 * in one atomic batch).
 */
public interface ReplicaStore extends AutoCloseable {

  /**
   * Applies write {@code seq} of chain {@code chainId}. Futures complete in submission order, once
   * the write is durable under the configured fsync policy.
   */
  CompletableFuture<Void> persist(int chainId, long seq, WriteOp op, WriteResult result);

  /** Records that writes up to {@code seq} are committed; their log entries may be trimmed. */
  void markCommitted(int chainId, long seq);

  /** Reads back the replica state of a chain after a restart. */
  RecoveredState recover(int chainId);

  /** The committed manifest of an object, if it exists (deleted objects are absent). */
  Optional<ObjectManifest> getObject(int chainId, String bucket, String key);

  /**
   * Objects of a bucket on one chain in key order.
   *
   * @param prefix only keys starting with it
   * @param startAfter exclusive start key ("" for the beginning)
   * @param limit maximum number of results
   */
  List<ObjectManifest> list(
      int chainId, String bucket, String prefix, String startAfter, int limit);

  /** Reads part of a chunk, verifying its checksums. */
  ByteBuffer readChunk(String chunkId, long offset, int length);

  /** The length of a stored chunk, if present. */
  OptionalLong chunkLength(String chunkId);

  @Override
  void close();
}
