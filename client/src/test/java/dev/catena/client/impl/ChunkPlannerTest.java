package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.client.InvalidRequestException;
import dev.catena.proto.v1.ChunkRef;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DESIGN §2: chunk counts and ranged reads mapped to chunk offsets. */
class ChunkPlannerTest {
  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @Test
  void chunkCounts() {
    assertThat(ChunkPlanner.chunkCount(0, 4)).isZero();
    assertThat(ChunkPlanner.chunkCount(1, 4)).isEqualTo(1);
    assertThat(ChunkPlanner.chunkCount(4, 4)).isEqualTo(1);
    assertThat(ChunkPlanner.chunkCount(5, 4)).isEqualTo(2);
    assertThat(ChunkPlanner.chunkCount(64L << 20, 4 << 20)).isEqualTo(16);
  }

  @Test
  void resolvesRangesLikeS3() {
    assertThat(ChunkPlanner.resolve(100, 0, -1)).isEqualTo(new ChunkPlanner.Range(0, 100));
    assertThat(ChunkPlanner.resolve(100, 90, 50)).isEqualTo(new ChunkPlanner.Range(90, 10));
    assertThat(ChunkPlanner.resolve(100, 99, 0)).isEqualTo(new ChunkPlanner.Range(99, 0));
    assertThat(ChunkPlanner.resolve(0, 0, -1)).isEqualTo(new ChunkPlanner.Range(0, 0));
    assertThatThrownBy(() -> ChunkPlanner.resolve(100, 100, 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ChunkPlanner.resolve(100, -1, 1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ChunkPlanner.resolve(0, 1, 1))
        .isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void segmentsTileTheRangeExactly(long seed) {
    var rnd = new SplittableRandom(seed);
    int chunkSize = rnd.nextInt(1, 50);
    long size = rnd.nextLong(1, 1000);
    var chunks = new ArrayList<ChunkRef>();
    for (int i = 0; i < ChunkPlanner.chunkCount(size, chunkSize); i++) {
      long len = Math.min(chunkSize, size - (long) i * chunkSize);
      chunks.add(ChunkRef.newBuilder().setChunkId("v/" + i).setIndex(i).setLength(len).build());
    }
    long offset = rnd.nextLong(0, size);
    long length = rnd.nextLong(-1, size + 10);
    ChunkPlanner.Range r = ChunkPlanner.resolve(size, offset, length);
    List<ChunkPlanner.Segment> segs = ChunkPlanner.segments(chunks, r.offset(), r.length());
    long pos = r.offset();
    for (ChunkPlanner.Segment s : segs) {
      long chunkStart = (long) s.chunk().getIndex() * chunkSize;
      assertThat(chunkStart + s.offset()).as("seed %d: contiguous", seed).isEqualTo(pos);
      assertThat(s.length()).as("seed %d", seed).isPositive();
      assertThat(s.offset() + s.length()).isLessThanOrEqualTo(s.chunk().getLength());
      assertThat(s.whole()).isEqualTo(s.offset() == 0 && s.length() == s.chunk().getLength());
      pos += s.length();
    }
    assertThat(pos).as("seed %d: covers the range", seed).isEqualTo(r.offset() + r.length());
  }

  @Test
  void rangeBeyondChunksIsRejected() {
    var c = List.of(ChunkRef.newBuilder().setLength(10).build());
    assertThatThrownBy(() -> ChunkPlanner.segments(c, 5, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
