package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  /** Counts reads; fails at {@code failAt} (if >= 0); records any use after {@code closed}. */
  static final class Source implements Iterator<Integer> {
    final int size;
    final int failAt;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicBoolean usedAfterClose = new AtomicBoolean();

    Source(int size, int failAt) {
      this.size = size;
      this.failAt = failAt;
    }

    @Override
    public boolean hasNext() {
      usedAfterClose.compareAndSet(false, closed.get());
      return reads.get() < size;
    }

    @Override
    public Integer next() {
      usedAfterClose.compareAndSet(false, closed.get());
      int i = reads.getAndIncrement();
      if (i == failAt) {
        throw new IllegalStateException("read " + i + " failed");
      }
      return i;
    }
  }

  @Test
  void yieldsEveryItemInOrder() {
    var source = new Source(1000, -1);
    var out = new ArrayList<Integer>();
    try (var it = new ReadAhead<>(source, 3, "t")) {
      it.forEachRemaining(out::add);
      assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(out).isEqualTo(IntStream.range(0, 1000).boxed().toList());
  }

  @Test
  void rethrowsTheSourcesFailureAtItsPosition() {
    var source = new Source(100, 7);
    var out = new ArrayList<Integer>();
    try (var it = new ReadAhead<>(source, 4, "t")) {
      assertThatThrownBy(() -> it.forEachRemaining(out::add))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("read 7 failed");
    }
    assertThat(out).isEqualTo(List.of(0, 1, 2, 3, 4, 5, 6));
  }

  @Test
  void readsAtMostDepthItemsAheadOfTheConsumer() {
    var source = new Source(1000, -1);
    try (var it = new ReadAhead<>(source, 5, "t")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> source.reads.get() >= 5);
      // Five queued and at most one more read, waiting for room.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> source.reads.get() <= 6);
      assertThat(it.next()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> source.reads.get() >= 6);
    }
  }

  @Test
  void closeStopsTheReaderBeforeReturning() {
    var source = new Source(1_000_000, -1);
    var it = new ReadAhead<>(source, 2, "t");
    assertThat(it.next()).isZero();
    it.close();
    source.closed.set(true);
    int reads = source.reads.get();
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> source.reads.get() == reads);
    assertThat(source.usedAfterClose).isFalse();
  }
}
