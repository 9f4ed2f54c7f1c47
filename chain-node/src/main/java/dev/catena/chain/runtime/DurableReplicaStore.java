package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.ChainProgress;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.CorruptRecordException;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.PinnedMetadata;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.chain.storage.VersionedValue;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@link ReplicaStore} over the node's {@link ObjectStore} (metadata) and {@link ChunkStore} (chunk
 * bytes).
 *
 * <p>Key layout inside a chain (the protocol's keys, UTF-8):
 *
 * <ul>
 *   <li>{@code o/<bucket>/<key>} → {@link ObjectManifest}, version = seq of the write; deletes
 *       leave a tombstone with the delete's seq (a resync counts it as absent, see {@link
 *       BucketDigests});
 *   <li>{@code c/<chunkId>} → {@link dev.catena.proto.v1.ChunkMeta} (length and the writer's
 *       CRC32C; empty in markers written before they carried it), version = seq; the bytes live in
 *       the chunk store. Resync digests hash the marker, so they cover the chunk's content;
 *   <li>{@code r/<clientId>/<request seq>} → the exactly-once record of one request (see {@link
 *       RequestRecords}; whole-window records {@code d/<clientId>} of earlier versions are read
 *       too);
 *   <li>{@code l/<seq mod RING>} → {@link Forward}, the replication log: every write not yet known
 *       committed. Slots are overwritten, never deleted, so the log leaves no tombstones; {@link
 *       #RING} exceeds any in-flight window, so live entries never share a slot.
 * </ul>
 *
 * <p>A chunk write becomes durable in the chunk store before the metadata mutation that makes it
 * visible is submitted; mutations of one chain are submitted in seq order by a single submitter
 * thread, so the store's group commit still batches across writes.
 */
public final class DurableReplicaStore implements ReplicaStore {
  /** Slots of the replication log ring; must exceed the in-flight window of every chain. */
  public static final int RING = 1 << 16;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DurableReplicaStore.class);

  private final ObjectStore meta;
  private final ChunkStore chunks;
  private final ExecutorService submitter = singleDaemon("catena-persist-submit");
  private final ExecutorService installChunks = singleDaemon("catena-install-chunks");
  // Per chain: completes when the previous mutation has been submitted to the metadata store.
  private final Map<Integer, CompletableFuture<Void>> submitted = new HashMap<>();
  // Written on the submitter thread only: the current join of each chain.
  private final Map<Integer, SyncSession> syncs = new HashMap<>();
  // Joins by token, for the threads that install them.
  private final Map<Long, SyncSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();
  // Submitter thread only: the future of the latest mutation submitted to the metadata store.
  private CompletableFuture<Void> lastApply = CompletableFuture.completedFuture(null);
  private final java.util.concurrent.atomic.AtomicLong syncTokens =
      new java.util.concurrent.atomic.AtomicLong();

  /** Present while a join's install is incomplete: a restart then recovers an empty replica. */
  /** Key prefix of the fencing high-water marks: {@code f/<scope>} → highest token (8 bytes). */
  static final String FENCE_PREFIX = "f/";

  private static final byte[] SYNC_MARKER = "m/syncing".getBytes(StandardCharsets.UTF_8);

  private final Map<Integer, Long> lastApplied = new HashMap<>();
  // Submitter thread only: the highest commit mark recorded since the chain's current join began.
  private final Map<Integer, Long> lastCommitted = new HashMap<>();
  private final ChainReads reads;
  private final SnapshotCodec codec;
  private final SnapshotInstaller installer;

  public DurableReplicaStore(ObjectStore meta, ChunkStore chunks) {
    this.reads = new ChainReads(meta, chunks);
    this.meta = meta;
    this.chunks = chunks;
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

  @Override
  public SnapshotSource openSnapshot(int chainId, Optional<BucketDigests> joiner) {
    return codec.open(chainId, joiner.orElse(null));
  }

  /** Submits a mutation (on the submitter thread) and remembers it as the latest. */
  private CompletableFuture<Void> apply(ChainMutation m) {
    CompletableFuture<Void> f = meta.apply(m);
    lastApply = f;
    return f;
  }

  @Override
  public long beginSync(int chainId) {
    long token = syncTokens.incrementAndGet();
    var session = new SyncSession(chainId, token);
    sessions.put(token, session);
    submitInOrder(
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
          lastApply.whenComplete(
              (v, err) -> {
                if (err != null) {
                  session.ready.completeExceptionally(err);
                } else {
                  session.ready.complete(null);
                }
              });
          return apply(
              new ChainMutation(
                  chainId,
                  0,
                  0,
                  List.of(new ChainMutation.Put(SYNC_MARKER, new byte[0], token)),
                  List.of()));
        });
    return token;
  }

  @Override
  public Optional<BucketDigests> syncDigests(int chainId, long token) {
    SyncSession s = sessions.get(token);
    if (s == null || s.chainId != chainId) {
      throw new IllegalStateException("no current join " + token + " of chain " + chainId);
    }
    return s.baseline(meta).digests();
  }

  @Override
  public boolean installSnapshot(
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
              return apply(
                      new ChainMutation(
                          chainId,
                          applied,
                          committed,
                          List.of(),
                          List.of(new ChainMutation.Delete(SYNC_MARKER, session.token))))
                  .thenApply(x -> true);
            },
            submitter)
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
          return apply(new ChainMutation(chainId, 0, 0, puts, deletes)).thenApply(x -> true);
        },
        submitter);
  }

  @Override
  public List<RecoveredState.DedupEntry> loadDedup(int chainId) {
    var out = new ArrayList<RecoveredState.DedupEntry>();
    for (String prefix : List.of(RequestRecords.PREFIX, RequestRecords.WINDOW_PREFIX)) {
      for (StoredEntry e : reads.scanPrefix(chainId, prefix)) {
        out.addAll(RequestRecords.decode(e.key(), e.value().value()));
      }
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Never throws: a write the storage refuses (say, a chunk id the chunk store does not accept)
   * returns a failed future, and every later persist of the chain fails too, so that nothing after
   * a failed write can become durable (fail-stop; DESIGN §4 invariants 2 and 3).
   */
  @Override
  public CompletableFuture<Void> persist(
      int chainId, long seq, WriteOp op, WriteResult result, List<Long> released) {
    try {
      return persistInOrder(chainId, seq, op, result, released);
    } catch (RuntimeException | OutOfMemoryError e) { // out of memory: say so, and stop the chain
      submitted.put(chainId, CompletableFuture.failedFuture(e));
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Void> persistInOrder(
      int chainId, long seq, WriteOp op, WriteResult result, List<Long> released) {
    var puts = new ArrayList<ChainMutation.Put>();
    var deletes = new ArrayList<ChainMutation.Delete>();
    CompletableFuture<Void> before = CompletableFuture.completedFuture(null);
    byte[] key = bytes(WriteOps.keyOf(op));
    switch (op.getOpCase()) {
      case PUT_MANIFEST ->
          puts.add(
              new ChainMutation.Put(
                  key,
                  op.getPutManifest().toBuilder().setChainSeq(seq).build().toByteArray(),
                  seq));
      case DELETE_OBJECT, DELETE_CHUNK -> deletes.add(new ChainMutation.Delete(key, seq));
      case PUT_CHUNK -> {
        puts.add(
            new ChainMutation.Put(key, ChunkIntegrity.meta(op.getPutChunk()).toByteArray(), seq));
        before =
            chunks.write(
                op.getPutChunk().getChunkId(), op.getPutChunk().getData().asReadOnlyByteBuffer());
      }
      case OP_NOT_SET -> throw new IllegalArgumentException("write without an operation");
    }
    if (op.getFencingToken() > 0) {
      // The fence's high-water mark is part of the replicated write (DESIGN §7): every replica
      // stores it, a new head refuses lower tokens, snapshots and digests carry it.
      puts.add(
          new ChainMutation.Put(
              bytes(FENCE_PREFIX + op.getFencingScope()),
              java.nio.ByteBuffer.allocate(8).putLong(op.getFencingToken()).array(),
              seq));
    }
    puts.add(new ChainMutation.Put(logKey(seq), logEntry(seq, op).toByteArray(), seq));
    byte[] recordKey = RequestRecords.key(op.getClientId(), op.getRequestSeq());
    puts.add(new ChainMutation.Put(recordKey, RequestRecords.value(op, result), seq));
    for (long r : released) {
      deletes.add(ChainMutation.Delete.purge(RequestRecords.key(op.getClientId(), r)));
    }
    String touched = WriteOps.keyOf(op);
    String record = new String(recordKey, StandardCharsets.UTF_8);
    CompletableFuture<Void> durable =
        submitInOrder(
            chainId,
            before,
            () -> {
              SyncSession sync = syncs.get(chainId);
              if (sync != null) {
                sync.forwarded.add(touched);
                sync.forwarded.add(record);
              }
              lastApplied.merge(chainId, seq, Math::max);
              return apply(new ChainMutation(chainId, seq, 0, puts, deletes));
            });
    if (op.hasDeleteChunk()) {
      String id = op.getDeleteChunk().getChunkId();
      return durable.thenCompose(v -> chunks.deleteAsync(id)).thenApply(existed -> null);
    }
    return durable;
  }

  /**
   * Runs {@code submit} on the submitter thread after {@code ready} and after the chain's previous
   * submission; returns the future of the submitted mutation.
   */
  private CompletableFuture<Void> submitInOrder(
      int chainId, CompletableFuture<Void> ready, Supplier<CompletableFuture<Void>> submit) {
    CompletableFuture<Void> prev =
        submitted.getOrDefault(chainId, CompletableFuture.completedFuture(null));
    CompletableFuture<CompletableFuture<Void>> sub =
        prev.thenCombineAsync(ready, (a, b) -> submit.get(), submitter);
    submitted.put(chainId, sub.thenApply(f -> null));
    return sub.thenCompose(f -> f);
  }

  private static Forward logEntry(long seq, WriteOp op) {
    WriteOp stored = op;
    if (op.hasPutChunk()) {
      // The bytes are in the chunk store under an immutable id; the log keeps only the reference.
      stored = op.toBuilder().setPutChunk(op.getPutChunk().toBuilder().clearData()).build();
    }
    return Forward.newBuilder().setSeq(seq).setOp(stored).build();
  }

  @Override
  public void markCommitted(int chainId, long seq) {
    var m = new ChainMutation(chainId, 0, seq, List.of(), List.of());
    submitInOrder(
        chainId,
        CompletableFuture.completedFuture(null),
        () -> {
          lastCommitted.merge(chainId, seq, Math::max);
          return apply(m);
        });
  }

  @Override
  public RecoveredState recover(int chainId) {
    Optional<VersionedValue> marker = meta.get(chainId, SYNC_MARKER);
    if (marker.isPresent() && !marker.get().tombstone()) {
      // An install was cut short: the data is partial, the replica must join afresh.
      return RecoveredState.partial();
    }
    ChainProgress p = meta.progress(chainId);
    var log = new TreeMap<Long, WriteOp>();
    for (StoredEntry e : reads.scanPrefix(chainId, "l/")) {
      Forward f = parse(e, Forward.parser());
      if (f.getSeq() > p.committedSeq() && f.getSeq() <= p.appliedSeq()) {
        log.put(f.getSeq(), withChunkData(f.getOp()));
      }
    }
    long missing = firstMissing(log, p.committedSeq(), p.appliedSeq());
    if (missing > 0) {
      // A write failed while later ones were already on their way to disk (the node stopped
      // at the failure): the history has a hole, so nothing past it can be trusted. Join afresh;
      // the resync keeps what equals the predecessor's and rolls back the rest.
      LOG.warn(
          "chain {}: replication log misses seq {} of ({}, {}]; resyncing",
          chainId,
          missing,
          p.committedSeq(),
          p.appliedSeq());
      return RecoveredState.partial();
    }
    return new RecoveredState(p.appliedSeq(), p.committedSeq(), log, loadDedup(chainId));
  }

  /** The first seq in {@code (from, to]} the log lacks, or 0 if it holds them all. */
  private static long firstMissing(TreeMap<Long, WriteOp> log, long from, long to) {
    for (long s = from + 1; s <= to; s++) {
      if (!log.containsKey(s)) {
        return s;
      }
    }
    return 0;
  }

  private WriteOp withChunkData(WriteOp op) {
    if (!op.hasPutChunk()) {
      return op;
    }
    PutChunk c = op.getPutChunk();
    int len =
        (int)
            chunks
                .length(c.getChunkId())
                .orElseThrow(
                    () -> new CorruptRecordException("log names missing chunk " + c.getChunkId()));
    ByteBuffer data = chunks.read(c.getChunkId(), 0, len);
    return op.toBuilder().setPutChunk(c.toBuilder().setData(ByteString.copyFrom(data))).build();
  }

  /** Deletes the bytes of an orphan chunk unless a marker names it now; true if deleted. */
  public boolean deleteOrphanChunk(String chunkId) {
    byte[] marker = bytes(WriteOps.chunkKey(chunkId));
    for (int chainId : meta.chains()) {
      Optional<VersionedValue> v = meta.get(chainId, marker);
      if (v.isPresent() && !v.get().tombstone()) {
        return false;
      }
    }
    return chunks.delete(chunkId);
  }

  /** Chunk bytes no chain's live marker names; see {@link ChainReads#orphanChunks}. */
  public java.util.Set<String> orphanChunks() {
    return reads.orphanChunks(meta.chains());
  }

  @Override
  public long fenceMark(int chainId, String scope) {
    return reads.fenceMark(chainId, scope);
  }

  @Override
  public References references(int chainId, String startAfter, int limit) {
    return reads.references(chainId, startAfter, limit);
  }

  @Override
  public List<dev.catena.proto.v1.ChunkInfo> listChunks(int chainId, String startAfter, int limit) {
    return reads.listChunks(chainId, startAfter, limit);
  }

  @Override
  public Optional<dev.catena.proto.v1.ChunkMeta> chunkMeta(int chainId, String chunkId) {
    return reads.chunkMeta(chainId, chunkId);
  }

  @Override
  public Optional<ObjectManifest> getObject(int chainId, String bucket, String key) {
    return reads.getObject(chainId, bucket, key);
  }

  @Override
  public List<ObjectManifest> list(
      int chainId, String bucket, String prefix, String startAfter, int limit) {
    return reads.list(chainId, bucket, prefix, startAfter, limit);
  }

  @Override
  public PinnedReads pinReads() {
    PinnedMetadata pinned = meta.pin();
    return new ChainReads(pinned, chunks, pinned::close);
  }

  @Override
  public ByteBuffer readChunk(String chunkId, long offset, int length) {
    return chunks.read(chunkId, offset, length);
  }

  @Override
  public OptionalLong chunkLength(String chunkId) {
    return chunks.length(chunkId);
  }

  @Override
  public void close() {
    installChunks.shutdown();
    submitter.shutdown();
    meta.close();
    chunks.close();
  }

  private static ExecutorService singleDaemon(String name) {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  static <T> T parse(StoredEntry e, com.google.protobuf.Parser<T> parser) {
    try {
      return parser.parseFrom(e.value().value());
    } catch (InvalidProtocolBufferException ex) {
      throw new CorruptRecordException(
          "bad record " + new String(e.key(), StandardCharsets.UTF_8) + ": " + ex.getMessage());
    }
  }

  /** The key of the log slot of {@code seq}: {@code l/} and the slot as five digits. */
  static byte[] logKey(long seq) {
    String slot = Long.toString(seq % RING);
    return bytes("l/" + "00000".substring(slot.length()) + slot);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The smallest key greater than every key starting with {@code prefix}, or null. */
  static byte[] upperBound(byte[] prefix) {
    byte[] b = prefix.clone();
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] != (byte) 0xFF) {
        b[i]++;
        return java.util.Arrays.copyOf(b, i + 1);
      }
    }
    return null;
  }
}
