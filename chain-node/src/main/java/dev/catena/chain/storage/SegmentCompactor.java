package dev.catena.chain.storage;

import dev.catena.chain.storage.ChunkRecords.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Compaction of a {@link SegmentChunkStore}: for each non-active segment whose live ratio is below
 * the threshold (oldest first), copy its live records into the active segment through the writer
 * thread, copy forward the delete records that still shadow a put in another segment, force the
 * copies and the directory, then retire the segment (its file is deleted once no reader holds it).
 * See {@link SegmentChunkStore} for why this is safe with concurrent reads and writes.
 */
final class SegmentCompactor {
  private final SegmentChunkStore store;

  SegmentCompactor(SegmentChunkStore store) {
    this.store = store;
  }

  synchronized CompactionStats compact(double minLiveRatio) {
    Segment active = store.activeSegment();
    List<Segment> candidates =
        store.segments.values().stream()
            .filter(s -> s.number < active.number && s.liveRatio() < minLiveRatio)
            .toList();
    int compacted = 0;
    int skipped = 0;
    int moved = 0;
    int carried = 0;
    long reclaimed = 0;
    long movedBytes = 0;
    for (Segment seg : candidates) {
      List<CompletableFuture<Integer>> moves = new ArrayList<>();
      List<CompletableFuture<Boolean>> carries = new ArrayList<>();
      List<Long> moveBytes = new ArrayList<>();
      try {
        SegmentScanner.scan(
            seg,
            h -> {
              if (h.type() == ChunkRecords.PUT) {
                SegmentChunkStore.Location loc = store.index.get(h.chunkId());
                if (loc != null && loc.segment() == seg && loc.offset() == h.offset()) {
                  moves.add(store.submit(new ChunkOps.Relocate(h.chunkId(), loc)));
                  moveBytes.add(loc.recordLength());
                }
              } else if (!store.index.containsKey(h.chunkId()) && putsElsewhere(h, seg) > 0) {
                byte[] id = h.chunkId().getBytes(StandardCharsets.UTF_8);
                carries.add(
                    store.submit(
                        new ChunkOps.CarryTombstone(h.chunkId(), ChunkRecords.encodeDelete(id))));
              }
            });
      } catch (IOException e) {
        throw new StorageException("compaction could not read segment " + seg.path, e);
      }
      boolean corrupt = false;
      long segMoved = 0;
      for (int i = 0; i < moves.size(); i++) {
        int r = store.join(moves.get(i));
        corrupt |= r == ChunkOps.Relocate.CORRUPT;
        if (r == ChunkOps.Relocate.MOVED) {
          moved++;
          segMoved += moveBytes.get(i);
        }
      }
      for (CompletableFuture<Boolean> f : carries) {
        carried += store.join(f) ? 1 : 0;
      }
      store.join(store.submit(new ChunkOps.Sync()));
      if (corrupt || seg.liveBytes.get() != 0) {
        skipped++;
        continue;
      }
      movedBytes += segMoved;
      reclaimed += seg.size.get() - segMoved;
      store.segments.remove(seg.number);
      seg.retire();
      compacted++;
    }
    return new CompactionStats(compacted, reclaimed, moved, movedBytes, carried, skipped);
  }

  private int putsElsewhere(Header h, Segment seg) {
    return store.putRecords.getOrDefault(h.chunkId(), 0)
        - seg.putCounts.getOrDefault(h.chunkId(), 0);
  }
}
