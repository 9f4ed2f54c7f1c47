package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.catena.chain.storage.ChainSnapshot;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.CloseableIterator;
import dev.catena.chain.storage.ObjectStore;
import dev.catena.chain.storage.StoredEntry;
import dev.catena.proto.v1.SnapshotEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Turns a consistent storage snapshot of one chain into the {@link SnapshotEntry} stream a joining
 * successor installs: every record but the replication log ({@code l/…}), chunk markers with their
 * bytes, the cut on the first entry, and a final entry with {@code last = true} so that a truncated
 * stream is detected.
 */
final class SnapshotCodec {
  private final ObjectStore meta;
  private final ChunkStore chunks;

  SnapshotCodec(ObjectStore meta, ChunkStore chunks) {
    this.meta = meta;
    this.chunks = chunks;
  }

  ReplicaStore.SnapshotSource open(int chainId) {
    ChainSnapshot snap = meta.snapshot(chainId);
    long cut = snap.progress().appliedSeq();
    CloseableIterator<StoredEntry> scan = snap.scan(new byte[0], null);
    Iterator<SnapshotEntry> entries =
        new Iterator<>() {
          private boolean first = true;
          private boolean ended;
          private SnapshotEntry next = advance();

          private SnapshotEntry advance() {
            while (scan.hasNext()) {
              StoredEntry e = scan.next();
              String key = new String(e.key(), StandardCharsets.UTF_8);
              if (key.startsWith("l/") || key.startsWith("m/")) {
                continue; // the replication log and local markers are the sender's own
              }
              var b =
                  SnapshotEntry.newBuilder()
                      .setKey(ByteString.copyFrom(e.key()))
                      .setValue(ByteString.copyFrom(e.value().value()))
                      .setVersion(e.value().version())
                      .setTombstone(e.value().tombstone());
              if (key.startsWith("c/") && !e.value().tombstone()) {
                String id = key.substring(2);
                long len = chunks.length(id).orElse(-1);
                if (len >= 0) {
                  ByteBuffer data = chunks.read(id, 0, (int) len);
                  // The buffer is freshly read and not reused: wrap it instead of copying 4 MiB
                  // again.
                  b.setChunkData(UnsafeByteOperations.unsafeWrap(data));
                }
              }
              return stamp(b);
            }
            if (ended) {
              return null;
            }
            ended = true;
            return stamp(SnapshotEntry.newBuilder().setLast(true));
          }

          private SnapshotEntry stamp(SnapshotEntry.Builder b) {
            if (first) {
              first = false;
              b.setCutSeq(cut);
            }
            return b.build();
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public SnapshotEntry next() {
            if (next == null) {
              throw new NoSuchElementException();
            }
            SnapshotEntry out = next;
            next = advance();
            return out;
          }
        };
    return new ReplicaStore.SnapshotSource() {
      @Override
      public long cut() {
        return cut;
      }

      @Override
      public Iterator<SnapshotEntry> entries() {
        return entries;
      }

      @Override
      public void close() {
        scan.close();
        snap.close();
      }
    };
  }
}
