package dev.catena.chain.storage;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Chunk bytes of a node: append-only segment files with a CRC32C per 64 KiB block, verified on
 * every read (DESIGN §5, GFS §5.2). Chunk ids are non-empty strings of at most 1024 UTF-8 bytes.
 *
 * <p>Writes and deletes are applied by one writer thread in submission order and group-committed
 * per the store's {@link FsyncPolicy}; a write's future completes once it is durable, and the new
 * content is readable from then on. Dependent actions attached with non-async {@code then…} methods
 * run on the writer thread and must not block.
 */
public interface ChunkStore extends AutoCloseable {

  /**
   * Stores the remaining bytes of {@code data} (the buffer's position is not changed; it may be
   * reused once this method returns) under {@code chunkId}, replacing any previous content.
   */
  CompletableFuture<Void> write(String chunkId, ByteBuffer data);

  /**
   * Appends a delete record without blocking; the future completes with whether the chunk existed,
   * once the delete is durable under the store's policy.
   */
  CompletableFuture<Boolean> deleteAsync(String chunkId);

  /**
   * Reads {@code length} bytes from {@code offset}, verifying the CRC32C of every 64 KiB block
   * touched.
   *
   * @throws ChecksumMismatchException if a touched block is damaged (never returns bad bytes)
   * @throws NoSuchChunkException if the chunk is not stored
   * @throws InvalidRangeException if the range is not inside the chunk
   */
  ByteBuffer read(String chunkId, long offset, int length)
      throws ChecksumMismatchException, NoSuchChunkException;

  /** Length of a stored chunk, or empty. */
  OptionalLong length(String chunkId);

  /**
   * Deletes a chunk by appending a delete record; returns once durable per policy, {@code true} if
   * the chunk was stored. Space is reclaimed by {@link #compact()}.
   */
  boolean delete(String chunkId);

  /**
   * Rewrites segments whose live ratio is low into the active segment and removes them. Safe with
   * concurrent reads and writes. Runs on the calling thread (one compaction at a time).
   */
  CompactionStats compact();

  /** Ids of all stored chunks. */
  Set<String> chunkIds();

  @Override
  void close();
}
