package dev.catena.chain.runtime;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.VersionedValue;
import dev.catena.proto.v1.SnapshotEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The storage side of joins (DESIGN §4 "Add a tail", "Rejoin", §4a): a joiner's {@linkplain
 * #beginSync start} (its data stays as the baseline, an "install incomplete" marker is set), the
 * baseline's {@linkplain #syncDigests digests}, the {@linkplain #installSnapshot install} of the
 * predecessor's snapshot (forwarded keys win, keys the snapshot lacks in replaced buckets are
 * rolled back) and its end; and, on the sending side, {@linkplain #openSnapshot snapshots} for a
 * successor. Persists tell it what forwarded writes touch while a join runs ({@link #forwarded},
 * {@link #committed}).
 *
 * <p>Threading: {@link #beginSync} and {@link #openSnapshot} run on the event loop; {@link
 * #syncDigests} and {@link #installSnapshot} block and run off it; the join table, the forwarded
 * keys and the marks are touched only on the {@link MetadataSubmitter}'s thread (install batches
 * and their end are submitted there too, so a forward and a snapshot record of the same key are
 * ordered); chunk bytes of an install are framed and checked on a thread of their own.
 */
final class ChainJoins implements AutoCloseable {
  /** Present while a join's install is incomplete: a restart then recovers an empty replica. */
  private static final byte[] SYNC_MARKER = "m/syncing".getBytes(StandardCharsets.UTF_8);

  private final ObjectStore meta;
  private final ChunkStore chunks;
  private final MetadataSubmitter submitter;
  private final SnapshotCodec codec;
  private final SnapshotInstaller installer;
  private final ExecutorService installChunks =
      Executors.newSingleThreadExecutor(
          new ThreadFactoryBuilder()
              .setNameFormat("catena-install-chunks")
              .setDaemon(true)
              .build());
  private final AtomicLong syncTokens = new AtomicLong();
  // Joins by token, for the threads that install them.
  private final Map<Long, SyncSession> sessions = new ConcurrentHashMap<>();

  // Submitter thread only: the current join of each chain, the highest seq applied and the highest
  // commit mark recorded since it began.
  private final Map<Integer, SyncSession> syncs = new HashMap<>();
  private final Map<Integer, Long> lastApplied = new HashMap<>();
  private final Map<Integer, Long> lastCommitted = new HashMap<>();

  ChainJoins(ObjectStore meta, ChunkStore chunks, MetadataSubmitter submitter) {
    this.meta = meta;
    this.chunks = chunks;
    this.submitter = submitter;
    this.codec = new SnapshotCodec(meta, chunks);
    this.installer =
        new SnapshotInstaller(
            meta,
            new SnapshotInstaller.Writer() {
              @Override
              public CompletableFuture<Boolean> write(
                  SyncSession s, long cut, List<SnapshotEntry> puts, List<byte[]> deletes) {
                return installBatch(s, cut, puts, deletes);
              }

              @Override
              public CompletableFuture<Boolean> finish(SyncSession s, long cut) {
                return finishInstall(s, cut);
              }
            });
  }

  /** See {@link ReplicaStore#openSnapshot}. */
  ReplicaStore.SnapshotSource openSnapshot(int chainId, Optional<BucketDigests> joiner) {
    return codec.open(chainId, joiner.orElse(null));
  }

  /** True if a join of the chain began and its install did not end (a visible read). */
  boolean installIncomplete(int chainId) {
    Optional<VersionedValue> marker = meta.get(chainId, SYNC_MARKER);
    return marker.isPresent() && !marker.get().tombstone();
  }

  /** See {@link ReplicaStore#beginSync}. */
  long beginSync(int chainId) {
    long token = syncTokens.incrementAndGet();
    var session = new SyncSession(chainId, token);
    sessions.put(token, session);
    submitter.submitInOrder(
        chainId,
        CompletableFuture.completedFuture(null),
        () -> {
          // §4a rejoin: the old data stays as the baseline; the install replaces every bucket
          // that differs from the predecessor's (uncommitted writes included) and deletes there
          // what the predecessor does not hold. Until it ends, a restart recovers a partial
          // replica.
          SyncSession old = syncs.put(chainId, session);
          if (old != null) {
            sessions.remove(old.token);
          }
          lastApplied.remove(chainId);
          lastCommitted.remove(chainId);
          submitter
              .lastApply()
              .whenComplete(
                  (v, err) -> {
                    if (err != null) {
                      session.ready.completeExceptionally(err);
                    } else {
                      session.ready.complete(null);
                    }
                  });
          return submitter.apply(
              new ChainMutation(
                  chainId,
                  0,
                  0,
                  List.of(new ChainMutation.Put(SYNC_MARKER, new byte[0], token)),
                  List.of()));
        });
    return token;
  }

  /** See {@link ReplicaStore#syncDigests}. */
  Optional<BucketDigests> syncDigests(int chainId, long token) {
    SyncSession s = sessions.get(token);
    if (s == null || s.chainId != chainId) {
      throw new IllegalStateException("no current join " + token + " of chain " + chainId);
    }
    return s.baseline(meta).digests();
  }

  /** See {@link ReplicaStore#installSnapshot}. */
  boolean installSnapshot(
      int chainId, long token, Iterator<SnapshotEntry> entries, BiConsumer<Long, Long> progress) {
    SyncSession s = sessions.get(token);
    if (s == null || s.chainId != chainId) {
      return false; // superseded by a newer join
    }
    try (s) {
      return installer.install(s, entries, progress);
    } finally {
      sessions.remove(token, s);
    }
  }

  /**
   * On the submitter thread, as a forwarded write of {@code seq} is submitted: a snapshot record
   * must not overwrite {@code keys} any more, and the join's end must not set the applied mark
   * below {@code seq}.
   */
  void forwarded(int chainId, long seq, String... keys) {
    SyncSession sync = syncs.get(chainId);
    if (sync != null) {
      sync.forwarded.addAll(List.of(keys));
    }
    lastApplied.merge(chainId, seq, Math::max);
  }

  /** On the submitter thread, as a commit mark of {@code seq} is submitted. */
  void committed(int chainId, long seq) {
    lastCommitted.merge(chainId, seq, Math::max);
  }

  /** On the submitter thread: records the install's progress and ends the join, if current. */
  private CompletableFuture<Boolean> finishInstall(SyncSession session, long cut) {
    int chainId = session.chainId;
    return CompletableFuture.supplyAsync(
            () -> {
              if (syncs.get(chainId) != session) {
                return CompletableFuture.completedFuture(false);
              }
              syncs.remove(chainId);
              long applied = Math.max(cut, lastApplied.getOrDefault(chainId, 0L));
              // Forwarded writes may have been committed (and their commit marks recorded) while
              // the snapshot streamed: never move the mark back to the cut, or after more than
              // RING of them the log ring no longer holds what lies above the mark.
              long committed =
                  Math.min(applied, Math.max(cut, lastCommitted.getOrDefault(chainId, 0L)));
              return submitter
                  .apply(
                      new ChainMutation(
                          chainId,
                          applied,
                          committed,
                          List.of(),
                          List.of(new ChainMutation.Delete(SYNC_MARKER, session.token))))
                  .thenApply(x -> true);
            },
            submitter.executor())
        .thenCompose(f -> f);
  }

  /**
   * Writes snapshot records and deletes of keys no forwarded write has touched. The check and the
   * submission run on the submitter thread, where forwarded writes are submitted too, so whichever
   * reaches the store later wins only if it is the forward. A superseded install writes nothing.
   */
  private CompletableFuture<Boolean> installBatch(
      SyncSession session, long cut, List<SnapshotEntry> batch, List<byte[]> deleted) {
    int chainId = session.chainId;
    // Chunk records are framed and checksummed off the thread that reads the stream.
    CompletableFuture<Void> chunkWrites =
        CompletableFuture.supplyAsync(
                () -> {
                  CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
                  for (SnapshotEntry e : batch) {
                    if (!e.getChunkData().isEmpty()) {
                      String id = e.getKey().toStringUtf8().substring(2);
                      // The sender's checksum, not one computed afresh over what arrived.
                      ChunkIntegrity.verify(id, e.getValue().toByteArray(), e.getChunkData());
                      all =
                          all.thenCombine(
                              chunks.write(id, e.getChunkData().asReadOnlyByteBuffer()),
                              (a, b) -> null);
                    }
                  }
                  return all;
                },
                installChunks)
            .thenCompose(f -> f);
    return chunkWrites.thenComposeAsync(
        v -> {
          if (syncs.get(chainId) != session) {
            return CompletableFuture.completedFuture(false);
          }
          var puts = new ArrayList<ChainMutation.Put>();
          var deletes = new ArrayList<ChainMutation.Delete>();
          for (SnapshotEntry e : batch) {
            if (session.forwarded.contains(e.getKey().toStringUtf8())) {
              continue;
            }
            if (e.getTombstone()) {
              deletes.add(new ChainMutation.Delete(e.getKey().toByteArray(), e.getVersion()));
            } else {
              puts.add(
                  new ChainMutation.Put(
                      e.getKey().toByteArray(), e.getValue().toByteArray(), e.getVersion()));
            }
          }
          for (byte[] key : deleted) {
            if (!session.forwarded.contains(new String(key, StandardCharsets.UTF_8))) {
              deletes.add(new ChainMutation.Delete(key, cut));
            }
          }
          return submitter
              .apply(new ChainMutation(chainId, 0, 0, puts, deletes))
              .thenApply(x -> true);
        },
        submitter.executor());
  }

  @Override
  public void close() {
    installChunks.shutdown();
  }
}
