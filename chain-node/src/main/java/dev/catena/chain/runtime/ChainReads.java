package dev.catena.chain.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.CorruptRecordException;
import dev.catena.chain.storage.MetadataReads;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.chain.storage.VersionedValue;
import dev.catena.proto.v1.ObjectManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of what a node has stored for its chains, in protocol terms: manifests and listings, chunk
 * markers and the chunk listing and references garbage collection uses, fencing marks, and the
 * census of orphan chunk bytes. Reads only, over either the store's current state (visible: a read
 * may see a write whose durability is still pending) or one pinned instant ({@link
 * ReplicaStore#pinReads}); thread-safe, because the stores' reads are.
 */
final class ChainReads implements PinnedReads {
  private final MetadataReads meta;
  private final ChunkStore chunks;
  private final Runnable release;

  /** Reads of the store's current state; {@link #close} does nothing. */
  ChainReads(MetadataReads meta, ChunkStore chunks) {
    this(meta, chunks, () -> {});
  }

  /**
   * Reads of one pinned instant.
   *
   * @param release run by {@link #close} (releases the pin)
   */
  ChainReads(MetadataReads meta, ChunkStore chunks, Runnable release) {
    this.meta = meta;
    this.chunks = chunks;
    this.release = release;
  }

  @Override
  public void close() {
    release.run();
  }

  /**
   * Chunk bytes this node stores that no chain's live marker names: left behind by resync rollbacks
   * (an install deleting a marker of a write that never committed), or in flight (bytes are written
   * before the marker that makes them visible). {@link OrphanChunkSweeper} deletes only those that
   * stay orphaned over two passes.
   */
  java.util.Set<String> orphanChunks(java.util.Set<Integer> chains) {
    var orphans = new java.util.HashSet<>(chunks.chunkIds());
    for (int chainId : chains) {
      for (StoredEntry e : scanPrefix(chainId, "c/")) {
        orphans.remove(new String(e.key(), 2, e.key().length - 2, StandardCharsets.UTF_8));
      }
    }
    return orphans;
  }

  @Override
  public long fenceMark(int chainId, String scope) {
    Optional<VersionedValue> v = meta.get(chainId, bytes(DurableReplicaStore.FENCE_PREFIX + scope));
    if (v.isEmpty() || v.get().tombstone() || v.get().value().length != 8) {
      return 0;
    }
    return java.nio.ByteBuffer.wrap(v.get().value()).getLong();
  }

  @Override
  public ReplicaStore.References references(int chainId, String startAfter, int limit) {
    byte[] from = startAfter.isEmpty() ? bytes("o/") : bytes(startAfter + "\0");
    byte[] to = DurableReplicaStore.upperBound(bytes("o/"));
    var ids = new ArrayList<String>();
    String last = "";
    int read = 0;
    try (CloseableIterator<StoredEntry> it = meta.scan(chainId, from, to)) {
      while (it.hasNext()) {
        StoredEntry e = it.next();
        if (e.value().tombstone()) {
          continue;
        }
        if (read == limit) {
          return new ReplicaStore.References(ids, last, true);
        }
        last = new String(e.key(), StandardCharsets.UTF_8);
        read++;
        try {
          ObjectManifest.parseFrom(e.value().value())
              .getChunksList()
              .forEach(c -> ids.add(c.getChunkId()));
        } catch (InvalidProtocolBufferException x) {
          throw new CorruptRecordException("bad manifest at " + last + ": " + x);
        }
      }
    }
    return new ReplicaStore.References(ids, last, false);
  }

  @Override
  public List<dev.catena.proto.v1.ChunkInfo> listChunks(int chainId, String startAfter, int limit) {
    byte[] from = bytes(WriteOps.chunkKey(startAfter) + "\0");
    byte[] to = DurableReplicaStore.upperBound(bytes("c/"));
    var out = new ArrayList<dev.catena.proto.v1.ChunkInfo>();
    try (CloseableIterator<StoredEntry> it = meta.scan(chainId, from, to)) {
      while (it.hasNext() && out.size() < limit) {
        StoredEntry e = it.next();
        if (e.value().tombstone()) {
          continue;
        }
        String id = new String(e.key(), 2, e.key().length - 2, StandardCharsets.UTF_8);
        var info = dev.catena.proto.v1.ChunkInfo.newBuilder().setChunkId(id);
        ChunkIntegrity.parseMarker(id, e.value().value())
            .ifPresentOrElse(
                m -> info.setLength(m.getLength()).setCreatedAtMillis(m.getCreatedAtMillis()),
                () -> chunks.length(id).ifPresent(info::setLength));
        out.add(info.build());
      }
    }
    return out;
  }

  @Override
  public Optional<dev.catena.proto.v1.ChunkMeta> chunkMeta(int chainId, String chunkId) {
    Optional<VersionedValue> v = meta.get(chainId, bytes(WriteOps.chunkKey(chunkId)));
    if (v.isEmpty() || v.get().tombstone()) {
      return Optional.empty();
    }
    return ChunkIntegrity.parseMarker(chunkId, v.get().value());
  }

  @Override
  public Optional<ObjectManifest> getObject(int chainId, String bucket, String key) {
    Optional<VersionedValue> v = meta.get(chainId, bytes(WriteOps.objectKey(bucket, key)));
    if (v.isEmpty() || v.get().tombstone()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ObjectManifest.parseFrom(v.get().value()));
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptRecordException("bad manifest for " + bucket + "/" + key + ": " + e);
    }
  }

  @Override
  public List<ObjectManifest> list(
      int chainId, String bucket, String prefix, String startAfter, int limit) {
    byte[] base = bytes(WriteOps.objectKey(bucket, prefix));
    byte[] from = base;
    if (!startAfter.isEmpty() && startAfter.compareTo(prefix) >= 0) {
      from = bytes(WriteOps.objectKey(bucket, startAfter) + "\0");
    }
    var out = new ArrayList<ObjectManifest>();
    try (CloseableIterator<StoredEntry> it =
        meta.scan(chainId, from, DurableReplicaStore.upperBound(base))) {
      while (it.hasNext() && out.size() < limit) {
        StoredEntry e = it.next();
        if (!e.value().tombstone()) {
          out.add(DurableReplicaStore.parse(e, ObjectManifest.parser()));
        }
      }
    }
    return out;
  }

  List<StoredEntry> scanPrefix(int chainId, String prefix) {
    var out = new ArrayList<StoredEntry>();
    try (CloseableIterator<StoredEntry> it =
        meta.scan(chainId, bytes(prefix), DurableReplicaStore.upperBound(bytes(prefix)))) {
      it.forEachRemaining(
          e -> {
            if (!e.value().tombstone()) {
              out.add(e);
            }
          });
    }
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
