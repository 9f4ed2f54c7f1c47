package dev.catena.chain.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.storage.VersionedValue;
import dev.catena.proto.v1.ChunkRef;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.ObjectManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Structural checks of the metadata records {@link DurableReplicaStore} keeps for a chain (key
 * layout in its Javadoc), for the scrubber. The records carry no checksum of their own, so a record
 * is judged by what it must encode: a manifest decodes and names the object its key names; a chunk
 * marker decodes and gives a positive length; an exactly-once record decodes and holds the request
 * its key names (a whole window of an earlier version decodes); a replication-log entry decodes and
 * sits in its seq's slot; a fencing mark is 8 bytes. Tombstones have no value to check; keys of any
 * other form are not judged.
 */
public final class RecordIntegrity {
  private RecordIntegrity() {}

  /** Why the record {@code key → value} of a chain is damaged, if it is. */
  public static Optional<String> damage(byte[] key, VersionedValue value) {
    if (value.tombstone()) {
      return Optional.empty();
    }
    String k = new String(key, StandardCharsets.UTF_8);
    byte[] v = value.value();
    try {
      if (k.startsWith("o/")) {
        ObjectManifest m = ObjectManifest.parseFrom(v);
        return k.equals(WriteOps.objectKey(m.getBucket(), m.getKey()))
            ? Optional.empty()
            : Optional.of(k + ": the manifest names " + m.getBucket() + "/" + m.getKey());
      }
      if (k.startsWith("c/")) {
        return ChunkIntegrity.parseMarker(k, v)
            .filter(meta -> meta.getLength() <= 0)
            .map(meta -> k + ": marker of a chunk of " + meta.getLength() + " bytes");
      }
      if (k.startsWith(RequestRecords.WINDOW_PREFIX)) {
        DedupWindow.parseFrom(v);
        return Optional.empty();
      }
      if (k.startsWith(RequestRecords.PREFIX)) {
        DedupWindow w = DedupWindow.parseFrom(v);
        String client =
            k.substring(RequestRecords.PREFIX.length(), Math.max(2, k.lastIndexOf('/')));
        return w.getItemsCount() == 1
                && k.equals(
                    new String(
                        RequestRecords.key(client, w.getItems(0).getRequestSeq()),
                        StandardCharsets.UTF_8))
            ? Optional.empty()
            : Optional.of(k + ": exactly-once record of another request");
      }
      if (k.startsWith("l/")) {
        Forward f = Forward.parseFrom(v);
        String slot = new String(DurableReplicaStore.logKey(f.getSeq()), StandardCharsets.UTF_8);
        return k.equals(slot)
            ? Optional.empty()
            : Optional.of(k + ": log entry of seq " + f.getSeq() + " in another slot");
      }
      if (k.startsWith(DurableReplicaStore.FENCE_PREFIX)) {
        return v.length == 8
            ? Optional.empty()
            : Optional.of(k + ": fencing mark of " + v.length + " bytes");
      }
      return Optional.empty();
    } catch (InvalidProtocolBufferException | ChunkIntegrityException e) {
      return Optional.of(k + ": does not decode (" + e.getMessage() + ")");
    }
  }

  /**
   * The chunks a live manifest record names (empty for any other record, a tombstone, or a record
   * that does not decode: {@link #damage} reports those).
   */
  public static List<ChunkRef> chunkRefs(byte[] key, VersionedValue value) {
    if (value.tombstone() || !new String(key, StandardCharsets.UTF_8).startsWith("o/")) {
      return List.of();
    }
    try {
      return ObjectManifest.parseFrom(value.value()).getChunksList();
    } catch (InvalidProtocolBufferException e) {
      return List.of();
    }
  }

  /** The key of chunk {@code chunkId}'s marker in its chain. */
  public static byte[] markerKey(String chunkId) {
    return WriteOps.chunkKey(chunkId).getBytes(StandardCharsets.UTF_8);
  }
}
