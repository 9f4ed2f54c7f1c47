package dev.catena.chain.runtime;

import dev.catena.proto.v1.SnapshotEntry;
import dev.catena.proto.v1.SnapshotTotals;
import java.util.Iterator;
import java.util.function.BiConsumer;

/**
 * Passes a snapshot stream through unchanged and hands the totals its first entry announces (see
 * {@link SnapshotCodec}) to a callback, once, before that entry is consumed; a stream without
 * totals (an older sender) triggers no call. The flag says whether the stream is a resync of
 * differing buckets.
 */
final class TotalsTap implements Iterator<SnapshotEntry> {
  private final Iterator<SnapshotEntry> entries;
  private final BiConsumer<SnapshotTotals, Boolean> onTotals;
  private boolean first = true;

  TotalsTap(Iterator<SnapshotEntry> entries, BiConsumer<SnapshotTotals, Boolean> onTotals) {
    this.entries = entries;
    this.onTotals = onTotals;
  }

  @Override
  public boolean hasNext() {
    return entries.hasNext();
  }

  @Override
  public SnapshotEntry next() {
    SnapshotEntry e = entries.next();
    if (first) {
      first = false;
      if (e.hasTotals()) {
        onTotals.accept(e.getTotals(), e.hasResync());
      }
    }
    return e;
  }
}
