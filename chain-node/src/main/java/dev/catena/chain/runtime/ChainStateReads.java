package dev.catena.chain.runtime;

import dev.catena.proto.v1.ObjectManifest;
import java.util.List;
import java.util.Optional;

/**
 * Reads of what a node stores for its chains, in protocol terms. On a {@link ReplicaStore} they see
 * its current (visible) state; on {@link PinnedReads} the state of one instant. Thread-safe.
 */
public interface ChainStateReads {

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

  /**
   * The marker of chunk {@code chunkId} on chain {@code chainId} (length and CRC32C of its bytes),
   * if the chain holds the chunk and its marker records them (markers written by older versions do
   * not). A visible read: it may see a write that is not yet durable.
   */
  Optional<dev.catena.proto.v1.ChunkMeta> chunkMeta(int chainId, String chunkId);

  /**
   * Chunks of a chain in id order, after {@code startAfter} (exclusive; "" for the start), at most
   * {@code limit}: id, length and upload time from each live marker.
   */
  List<dev.catena.proto.v1.ChunkInfo> listChunks(int chainId, String startAfter, int limit);

  /**
   * The chunk ids referenced by the committed manifests of a chain, in every bucket, reading at
   * most {@code limit} manifests after position {@code startAfter} ("" for the start).
   *
   * @return the ids and the position of the last manifest read ("" if none)
   */
  References references(int chainId, String startAfter, int limit);

  /** A page of {@link #references}. */
  record References(List<String> chunkIds, String lastPosition, boolean truncated) {}

  /**
   * The highest fencing token chain {@code chainId} has applied for {@code scope} (0 if none); a
   * visible read.
   */
  long fenceMark(int chainId, String scope);
}
