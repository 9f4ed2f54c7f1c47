package dev.catena.chain.runtime;

import dev.catena.chain.protocol.RecoveredState;
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
public interface ReplicaStore extends ChainStateReads, AutoCloseable {

  /**
   * Applies write {@code seq} of chain {@code chainId} with its exactly-once record, and deletes
   * the exactly-once records of {@code op}'s client for the request seqs in {@code released} (the
   * replica's exactly-once table decides which: {@code Effect.Persist}). Futures complete in
   * submission order, once the write is durable under the configured fsync policy.
   */
  CompletableFuture<Void> persist(
      int chainId, long seq, WriteOp op, WriteResult result, List<Long> released);

  /** Records that writes up to {@code seq} are committed; their log entries may be trimmed. */
  void markCommitted(int chainId, long seq);

  /** Reads back the replica state of a chain after a restart. */
  RecoveredState recover(int chainId);

  /** Reads part of a chunk, verifying its checksums. */
  ByteBuffer readChunk(String chunkId, long offset, int length);

  /**
   * Pins the chains' records as of now (on the event loop, where the protocol decided that the
   * state may be served), for a read carried out later on another thread: it sees exactly what was
   * visible at this call. Close the result when done.
   */
  PinnedReads pinReads();

  /** The length of a stored chunk, if present. */
  OptionalLong chunkLength(String chunkId);

  /**
   * Opens a consistent snapshot of a chain for a joining successor: live records of the digested
   * keyspace (see {@link BucketDigests}) in key order, chunk markers carrying their chunk's bytes.
   *
   * @param joiner the joiner's digests: only buckets whose digests differ are streamed, announced
   *     by a resync header on the first entry; empty: every bucket, no header
   */
  SnapshotSource openSnapshot(int chainId, Optional<BucketDigests> joiner);

  /**
   * Starts a join (DESIGN.md §4 "Add a tail", "Rejoin"): the chain's data stays as the join's
   * baseline, the install is marked incomplete (a restart then recovers a partial replica, see
   * {@link RecoveredState#partial()}) and from now on the store remembers which keys forwarded
   * writes touch, so that a snapshot installed concurrently never overwrites them. Supersedes any
   * earlier join. Does not block.
   *
   * @return the join's token, passed to {@link #syncDigests} and {@link #installSnapshot}
   */
  long beginSync(int chainId);

  /**
   * The digests of the join's baseline, to send with the snapshot request; empty if the chain holds
   * nothing (then the predecessor sends everything). Blocks for one scan of the chain's metadata;
   * called off the event loop.
   *
   * @throws IllegalStateException if {@code token} is not a current join of the chain
   */
  Optional<BucketDigests> syncDigests(int chainId, long token);

  /**
   * Installs a snapshot received from the predecessor (§4a): in every bucket the stream replaces
   * (all of them without a resync header), each record replaces local state and each local key the
   * stream does not carry is deleted — rolling back writes that were never committed — unless a
   * forwarded write since {@link #beginSync} touched the key. Other buckets keep the local data,
   * which equals the predecessor's at the cut.
   *
   * <p>Blocks until the snapshot is durable; called off the event loop.
   *
   * @param token from {@link #beginSync}; a superseded install writes nothing more
   * @param progress called with (records, bytes) received so far as the install proceeds
   * @return true if the install completed and is the chain's current join
   * @throws dev.catena.chain.storage.CorruptRecordException if the stream ends without its final
   *     marker (truncated) or is out of key order
   */
  boolean installSnapshot(
      int chainId,
      long token,
      java.util.Iterator<dev.catena.proto.v1.SnapshotEntry> entries,
      java.util.function.BiConsumer<Long, Long> progress);

  /**
   * The exactly-once records a chain has stored (visible state), each entry with the client's mark
   * it was written under; the replica's exactly-once table merges them with what it knows (the
   * records of writes submitted since) and decides which of them later writes release.
   */
  List<dev.catena.chain.protocol.RecoveredState.DedupEntry> loadDedup(int chainId);

  /** A consistent, closeable view of one chain's records for streaming to a successor. */
  interface SnapshotSource extends AutoCloseable {
    /** The highest seq the snapshot reflects. */
    long cut();

    /** Records in key order; the first carries {@link #cut()}. */
    java.util.Iterator<dev.catena.proto.v1.SnapshotEntry> entries();

    @Override
    void close();
  }

  @Override
  void close();
}
