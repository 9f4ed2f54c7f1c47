package dev.catena.chain.runtime;

import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.WriteOp;
import java.util.Optional;

/**
 * Decides, from what local storage already holds, whether a client write may be sequenced: chunk
 * ids are written once ({@code CHUNK_EXISTS} for other bytes under an existing id, an identical
 * retry passes) and a write under a lock must not carry a token below the chain's high-water mark
 * for its scope ({@code STALE_TOKEN}, DESIGN §7). Called on the event loop just before the write
 * reaches its replica, where every earlier write of the chain is either visible in storage (checked
 * here) or pending in the replica (checked by {@code ChainReplica}).
 */
final class WriteAdmission {
  private final ReplicaStore store;

  WriteAdmission(ReplicaStore store) {
    this.store = store;
  }

  /** Whether {@code op} is subject to these checks at all (most writes are not: no lookup). */
  static boolean needsStorage(WriteOp op) {
    return op.hasPutChunk() || op.getFencingToken() > 0;
  }

  /** Why {@code op} must be refused on chain {@code chainId}, if it must. */
  Optional<CatenaError> refusal(int chainId, WriteOp op) {
    return chunkConflict(chainId, op).or(() -> staleFence(chainId, op));
  }

  private Optional<CatenaError> chunkConflict(int chainId, WriteOp op) {
    if (!op.hasPutChunk()) {
      return Optional.empty();
    }
    var put = op.getPutChunk();
    return store
        .chunkMeta(chainId, put.getChunkId())
        .filter(existing -> !ChunkIntegrity.sameContent(existing, put))
        .map(
            existing ->
                error(
                    ErrorCode.CHUNK_EXISTS,
                    "chunk " + put.getChunkId() + " already holds other bytes",
                    chainId));
  }

  private Optional<CatenaError> staleFence(int chainId, WriteOp op) {
    if (op.getFencingToken() <= 0) {
      return Optional.empty();
    }
    long mark = store.fenceMark(chainId, op.getFencingScope());
    return op.getFencingToken() >= mark
        ? Optional.empty()
        : Optional.of(
            error(
                ErrorCode.STALE_TOKEN,
                "token "
                    + op.getFencingToken()
                    + " of "
                    + op.getFencingScope()
                    + " is below "
                    + mark,
                chainId));
  }

  private static CatenaError error(ErrorCode code, String message, int chainId) {
    return CatenaError.newBuilder().setCode(code).setMessage(message).setChainId(chainId).build();
  }
}
