package dev.catena.chain.runtime;

import dev.catena.chain.protocol.RecoveredState;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A real {@link ReplicaStore} whose persist of one chosen seq fails, either by throwing at the call
 * (as a store that refuses the write's input does) or through its future (as a failed disk write
 * does). Everything else goes to the real store.
 */
final class FailingReplicaStore implements ReplicaStore {
  /** How the chosen persist fails. */
  enum Mode {
    THROWS,
    FAILED_FUTURE,
    /** The persist throws an {@link OutOfMemoryError} (an Error, not an exception). */
    OUT_OF_MEMORY
  }

  private final ReplicaStore real;
  private final long failingSeq;
  private final Mode mode;

  FailingReplicaStore(ReplicaStore real, long failingSeq, Mode mode) {
    this.real = real;
    this.failingSeq = failingSeq;
    this.mode = mode;
  }

  @Override
  public CompletableFuture<Void> persist(
      int chainId, long seq, WriteOp op, WriteResult result, List<Long> released) {
    if (seq == failingSeq) {
      if (mode == Mode.OUT_OF_MEMORY) {
        throw new OutOfMemoryError("injected storage failure at seq " + seq);
      }
      var e = new IllegalStateException("injected storage failure at seq " + seq);
      if (mode == Mode.THROWS) {
        throw e;
      }
      return CompletableFuture.failedFuture(e);
    }
    return real.persist(chainId, seq, op, result, released);
  }

  @Override
  public void markCommitted(int chainId, long seq) {
    real.markCommitted(chainId, seq);
  }

  @Override
  public RecoveredState recover(int chainId) {
    return real.recover(chainId);
  }

  @Override
  public PinnedReads pinReads() {
    return real.pinReads();
  }

  @Override
  public Optional<ObjectManifest> getObject(int chainId, String bucket, String key) {
    return real.getObject(chainId, bucket, key);
  }

  @Override
  public List<ObjectManifest> list(
      int chainId, String bucket, String prefix, String startAfter, int limit) {
    return real.list(chainId, bucket, prefix, startAfter, limit);
  }

  @Override
  public ByteBuffer readChunk(String chunkId, long offset, int length) {
    return real.readChunk(chunkId, offset, length);
  }

  @Override
  public long fenceMark(int chainId, String scope) {
    return real.fenceMark(chainId, scope);
  }

  @Override
  public References references(int chainId, String startAfter, int limit) {
    return real.references(chainId, startAfter, limit);
  }

  @Override
  public List<dev.catena.proto.v1.ChunkInfo> listChunks(int chainId, String startAfter, int limit) {
    return real.listChunks(chainId, startAfter, limit);
  }

  @Override
  public Optional<dev.catena.proto.v1.ChunkMeta> chunkMeta(int chainId, String chunkId) {
    return real.chunkMeta(chainId, chunkId);
  }

  @Override
  public OptionalLong chunkLength(String chunkId) {
    return real.chunkLength(chunkId);
  }

  @Override
  public SnapshotSource openSnapshot(int chainId, Optional<BucketDigests> joiner) {
    return real.openSnapshot(chainId, joiner);
  }

  @Override
  public long beginSync(int chainId) {
    return real.beginSync(chainId);
  }

  @Override
  public Optional<BucketDigests> syncDigests(int chainId, long token) {
    return real.syncDigests(chainId, token);
  }

  @Override
  public boolean installSnapshot(
      int chainId, long token, Iterator<SnapshotEntry> entries, BiConsumer<Long, Long> progress) {
    return real.installSnapshot(chainId, token, entries, progress);
  }

  @Override
  public List<RecoveredState.DedupEntry> loadDedup(int chainId) {
    return real.loadDedup(chainId);
  }

  @Override
  public void close() {
    real.close();
  }
}
