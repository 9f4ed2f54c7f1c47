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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

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
 * thread ({@link MetadataSubmitter}), so the store's group commit still batches across writes.
 *
 * <p>The store is split by job, each with its own threading rule: this class is the persist path
 * (writes, commit marks, the log ring) and recovery, called from the event loop; {@link ChainReads}
 * serves reads from any thread, over the current state or a pinned instant; {@link ChainJoins} owns
 * joins (begin, digests, snapshot install and its end, snapshots for a successor) and learns from
 * the persist path, on the submitter thread, what forwarded writes touch.
 */
public final class DurableReplicaStore implements ReplicaStore {
  /** Slots of the replication log ring; must exceed the in-flight window of every chain. */
  public static final int RING = 1 << 16;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DurableReplicaStore.class);

  private final ObjectStore meta;
  private final ChunkStore chunks;
  private final MetadataSubmitter submitter;
  private final ChainJoins joins;

  /** Key prefix of the fencing high-water marks: {@code f/<scope>} → highest token (8 bytes). */
  static final String FENCE_PREFIX = "f/";

  private final ChainReads reads;

  public DurableReplicaStore(ObjectStore meta, ChunkStore chunks) {
    this.reads = new ChainReads(meta, chunks);
    this.meta = meta;
    this.chunks = chunks;
    this.submitter = new MetadataSubmitter(meta);
    this.joins = new ChainJoins(meta, chunks, submitter);
  }

  @Override
  public SnapshotSource openSnapshot(int chainId, Optional<BucketDigests> joiner) {
    return joins.openSnapshot(chainId, joiner);
  }

  @Override
  public long beginSync(int chainId) {
    return joins.beginSync(chainId);
  }

  @Override
  public Optional<BucketDigests> syncDigests(int chainId, long token) {
    return joins.syncDigests(chainId, token);
  }

  @Override
  public boolean installSnapshot(
      int chainId, long token, Iterator<SnapshotEntry> entries, BiConsumer<Long, Long> progress) {
    return joins.installSnapshot(chainId, token, entries, progress);
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
      submitter.fail(chainId, e);
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
        submitter.submitInOrder(
            chainId,
            before,
            () -> {
              joins.forwarded(chainId, seq, touched, record);
              return submitter.apply(new ChainMutation(chainId, seq, 0, puts, deletes));
            });
    if (op.hasDeleteChunk()) {
      String id = op.getDeleteChunk().getChunkId();
      return durable.thenCompose(v -> chunks.deleteAsync(id)).thenApply(existed -> null);
    }
    return durable;
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
    submitter.submitInOrder(
        chainId,
        CompletableFuture.completedFuture(null),
        () -> {
          joins.committed(chainId, seq);
          return submitter.apply(m);
        });
  }

  @Override
  public RecoveredState recover(int chainId) {
    if (joins.installIncomplete(chainId)) {
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
    joins.close();
    submitter.close();
    meta.close();
    chunks.close();
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
