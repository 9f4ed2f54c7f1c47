package dev.catena.chain.storage;

import java.nio.ByteBuffer;

/** Operations queued to the writer thread of a {@link SegmentChunkStore}. */
final class ChunkOps {
  private ChunkOps() {}

  /** Base of every queued chunk operation. */
  abstract static class Op<R> extends GroupCommitter.Pending<R> {}

  /** Append a PUT record (already encoded and checksummed). */
  static final class Write extends Op<Void> {
    final String chunkId;
    final ByteBuffer record;
    final long dataLength;

    Write(String chunkId, ByteBuffer record, long dataLength) {
      this.chunkId = chunkId;
      this.record = record;
      this.dataLength = dataLength;
    }

    @Override
    long weight() {
      return record.remaining();
    }
  }

  /** Append a DELETE record; result: whether the chunk was stored. */
  static final class Delete extends Op<Boolean> {
    final String chunkId;
    final ByteBuffer record;

    Delete(String chunkId, ByteBuffer record) {
      this.chunkId = chunkId;
      this.record = record;
    }

    @Override
    long weight() {
      return record.remaining();
    }
  }

  /** Compaction: copy the record at {@code from} to the active segment if it is still current. */
  static final class Relocate extends Op<Integer> {
    static final int MOVED = 1;
    static final int SKIPPED = 0;
    static final int CORRUPT = -1;
    final String chunkId;
    final SegmentChunkStore.Location from;

    Relocate(String chunkId, SegmentChunkStore.Location from) {
      this.chunkId = chunkId;
      this.from = from;
    }

    @Override
    long weight() {
      return from.recordLength();
    }
  }

  /** Compaction: re-append a DELETE record if the chunk is still absent; result: appended. */
  static final class CarryTombstone extends Op<Boolean> {
    final String chunkId;
    final ByteBuffer record;

    CarryTombstone(String chunkId, ByteBuffer record) {
      this.chunkId = chunkId;
      this.record = record;
    }

    @Override
    long weight() {
      return record.remaining();
    }
  }

  /** Force every segment written in this batch and the directory, whatever the policy. */
  static final class Sync extends Op<Void> {
    @Override
    long weight() {
      return 1;
    }
  }
}
